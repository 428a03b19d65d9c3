#!/usr/bin/env node
// An evaluator of hawiz's IAM policies that does not trust them: every scenario (an attack
// or one of hawiz's own calls) is a list of authorizations AWS makes for one request, and
// @cloud-copilot/iam-simulate decides each (every condition operator, permission
// boundaries, and a check of the action, the resource ARN's type and the context keys
// against AWS's service reference). A scenario is allowed when all its authorizations are.
//
//   node tests/iam/evaluate.mjs --policy P --boundary B --variant V [--mutate]
//        [--var name=value ...] [--json OUT] SCENARIO_FILE...
//
// V is the policy under test: `stack` (the per-stack template rendered for a stack with a
// domain), `stack-nodomain` (rendered without one), `all` (assets/iam-policy.json) or
// `before` (any older policy: decisions are printed, nothing is expected).
// --mutate removes each condition key of each statement of the policy and of the boundary
// in turn and requires an attack expected DENIED to become allowed (else the condition is
// dead or an attack is missing). Prints one line per scenario and exits non-zero on a
// wrong verdict, an unguarded condition, or a scenario the simulator rejects.

import { readFileSync, writeFileSync } from 'node:fs'
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate'

const usage = 'usage: evaluate.mjs --policy P --boundary B --variant stack|stack-nodomain|all|before [--mutate] [--var k=v]... [--json OUT] FILE...'

function parseArgs(argv) {
  const o = { vars: {}, files: [], mutate: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value\n${usage}`)
      return argv[++i]
    }
    if (a === '--policy') o.policy = next()
    else if (a === '--boundary') o.boundary = next()
    else if (a === '--variant') o.variant = next()
    else if (a === '--json') o.json = next()
    else if (a === '--mutate') o.mutate = true
    else if (a === '--var') {
      const [k, ...v] = next().split('=')
      o.vars[k] = v.join('=')
    } else if (a.startsWith('--')) throw new Error(`unknown option ${a}\n${usage}`)
    else o.files.push(a)
  }
  if (!o.policy || !o.boundary || !o.variant || o.files.length === 0) throw new Error(usage)
  if (!['stack', 'stack-nodomain', 'all', 'before'].includes(o.variant)) throw new Error(usage)
  return o
}

// The names the scenarios are written with; --var overrides any.
function variables(over) {
  const v = {
    stack: 'shop',
    other: 'blog', // another stack of the same account
    sibling: 'shop-eu', // another stack whose name starts with this one's and a '-'
    account: '111122223333',
    outside: '444455556666', // an account that is not this one
    region: 'ap-northeast-2',
    standby_region: 'ap-northeast-1', // a failover standby's region (same names, keys under standby/)
    domain: 'example.com',
    host: 'www',
    vpc: 'vpc-0aaaaaaaaaaaaaaaa', // the stack's VPC (where its instances run)
    ...over,
  }
  v.site ??= v.host ? `${v.host}.${v.domain}` : v.domain
  // ACM's validation record (32 hex characters) and the ownership marker.
  v.validation ??= `_0f1e2d3c4b5a69788796a5b4c3d2e1f0.${v.domain}`
  v.marker ??= `_hawiz.${v.site}`
  v.boundary ??= `arn:aws:iam::${v.account}:policy/hawiz/hawiz-${v.stack}-boundary`
  v.other_boundary ??= `arn:aws:iam::${v.account}:policy/hawiz/hawiz-${v.other}-boundary`
  return v
}

function fill(value, vars) {
  if (typeof value === 'string') {
    return value.replace(/\{\{(\w+)\}\}/g, (m, k) => {
      if (!(k in vars)) throw new Error(`unknown variable ${m}`)
      return vars[k]
    })
  }
  if (Array.isArray(value)) return value.map((x) => fill(x, vars))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, x]) => [fill(k, vars), fill(x, vars)]))
  }
  return value
}

// Who makes the request, and which policies apply to them.
function principals(vars, policy, boundary, named) {
  const lookup = (names) =>
    names.map((n) => {
      if (!named[n]) throw new Error(`unknown policy ${n}`)
      return { name: n, policy: named[n] }
    })
  return {
    deployer: (s) => ({
      arn: `arn:aws:iam::${vars.account}:user/hawiz-deployer`,
      identity: [{ name: 'deployer', policy }],
      boundary: undefined,
      context: {},
    }),
    // An instance of the stack: its role's policies under the boundary, signed with the
    // instance's role credentials.
    instance: (s) => ({
      arn: `arn:aws:sts::${vars.account}:assumed-role/hawiz-${vars.stack}-${vars.region}-app/i-0123456789abcdef0`,
      identity: lookup(s.identity ?? ['app-inline', 'ssm-core']),
      boundary: [{ name: 'boundary', policy: boundary }],
      context: { 'aws:Ec2InstanceSourceVpc': vars.vpc },
    }),
    // A role carrying the boundary, assumed by someone (not an instance).
    outside: (s) => ({
      arn: `arn:aws:sts::${vars.account}:assumed-role/hawiz-${vars.stack}-backdoor/someone`,
      identity: lookup(s.identity ?? ['anything']),
      boundary: [{ name: 'boundary', policy: boundary }],
      context: {},
    }),
    // The flow logs role, used by the VPC flow logs service.
    'flow-logs': (s) => ({
      arn: `arn:aws:sts::${vars.account}:assumed-role/hawiz-${vars.stack}-${vars.region}-flow-logs/flow-logs`,
      identity: lookup(s.identity ?? ['flow-logs-inline']),
      boundary: [{ name: 'boundary', policy: boundary }],
      context: {},
    }),
  }
}

function contextOf(req, extra) {
  const c = { ...extra, ...(req.context ?? {}) }
  for (const [k, v] of Object.entries(req.request_tags ?? {})) c[`aws:RequestTag/${k}`] = v
  if (req.request_tags) c['aws:TagKeys'] = Object.keys(req.request_tags)
  for (const [k, v] of Object.entries(req.resource_tags ?? {})) c[`aws:ResourceTag/${k}`] = v
  return c
}

class Rejected extends Error {}

// The statements of a policy that can apply to an action (the others cannot change the
// decision): the simulator's time grows with the policy's size.
const narrowed = new WeakMap()
function forAction(policy, action) {
  if (!narrowed.has(policy)) narrowed.set(policy, new Map())
  const cache = narrowed.get(policy)
  if (!cache.has(action)) {
    const statements = [].concat(policy.Statement).filter(
      (st) => st.NotAction || [].concat(st.Action).some((a) => actionMatches(a, action)))
    cache.set(action, { ...policy, Statement: statements })
  }
  return cache.get(action)
}
const narrow = (policies, action) =>
  policies && policies.map((p) => ({ name: p.name, policy: forAction(p.policy, action) }))

// One authorization: 'Allowed' or a denial.
async function authorize(who, req, vars, identity) {
  const simulation = {
    request: {
      principal: who.arn,
      action: req.action,
      resource: { resource: req.resource ?? '*', accountId: vars.account },
      contextVariables: contextOf(req, who.context),
    },
    identityPolicies: narrow(identity ?? who.identity, req.action),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    permissionBoundaryPolicies: narrow(who.boundary, req.action),
  }
  if (req.unvalidated) {
    // The simulator's checks of the request against its copy of AWS's reference would
    // refuse a real request here (the request says why): decided without them.
    return await runUnsafeSimulation(simulation, {})
  }
  const r = await runSimulation(simulation, {})
  if (r.resultType === 'error') {
    throw new Rejected(`${req.action} on ${req.resource}: ${JSON.stringify(r.errors)}`)
  }
  if (r.resultType !== 'single') {
    throw new Rejected(`${req.action} on ${req.resource}: give a concrete resource ARN, not a pattern`)
  }
  const ignored = r.result.ignoredContextKeys ?? []
  if (ignored.length) {
    throw new Rejected(`${req.action} on ${req.resource}: context keys AWS does not give this request: ${ignored.join(', ')}`)
  }
  return r.overallResult
}

// A scenario's decision. Under a mutation (`changed`: the mutated statement's actions),
// only the authorizations whose action the mutated statement names are decided again.
async function decide(s, env, identityOverride, boundaryOverride, changed) {
  const who = { ...env.who[s.who ?? 'deployer'](s) }
  if (boundaryOverride && who.boundary) who.boundary = [{ name: 'boundary', policy: boundaryOverride }]
  const identity = identityOverride && (s.who ?? 'deployer') === 'deployer'
    ? [{ name: 'deployer', policy: identityOverride }]
    : undefined
  s.baselines ??= []
  const denied = []
  for (const [i, req] of s.requests.entries()) {
    let d
    if (changed && !changed.some((a) => actionMatches(a, req.action))) {
      d = s.baselines[i]
    } else {
      d = await authorize(who, req, env.vars, identity)
      if (!changed) s.baselines[i] = d
    }
    if (d !== 'Allowed') {
      denied.push(`${req.action} ${d}`)
      if (changed) break
    }
  }
  return { allowed: denied.length === 0, denied }
}

function expected(s, variant) {
  const e = s.expect ?? 'allowed'
  if (typeof e === 'string') return e
  if (variant === 'stack-nodomain') return e['stack-nodomain'] ?? e.stack
  return e[variant]
}

function actionMatches(pattern, action) {
  const re = new RegExp('^' + pattern.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'i')
  return re.test(action)
}

// Every condition key of every statement of `doc`, removed one at a time.
function* mutations(doc) {
  for (const [i, st] of doc.Statement.entries()) {
    for (const [op, body] of Object.entries(st.Condition ?? {})) {
      for (const key of Object.keys(body)) {
        const m = structuredClone(doc)
        const c = m.Statement[i].Condition
        delete c[op][key]
        if (Object.keys(c[op]).length === 0) delete c[op]
        if (Object.keys(c).length === 0) delete m.Statement[i].Condition
        const actions = [].concat(st.Action)
        yield { sid: st.Sid ?? `#${i}`, what: `${op} ${key}`, doc: m, actions }
      }
    }
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2))
  const vars = variables(o.vars)
  const policy = JSON.parse(readFileSync(o.policy, 'utf8'))
  const boundary = JSON.parse(readFileSync(o.boundary, 'utf8'))
  const named = {}
  const scenarios = []
  for (const f of o.files) {
    const doc = JSON.parse(readFileSync(f, 'utf8'))
    Object.assign(named, fill(doc.policies ?? {}, vars))
    for (const s of doc.scenarios ?? doc.calls ?? []) {
      scenarios.push({ ...fill(s, vars), kind: doc.calls ? 'call' : 'attack', file: f })
    }
  }
  const env = { vars, who: principals(vars, policy, boundary, named) }
  const report = o.variant === 'before'
  let wrong = 0
  let rejected = 0
  const results = []
  for (const s of scenarios) {
    if (o.variant === 'stack-nodomain' && s.kind === 'call' && s.domain) continue
    const want = report ? undefined : expected(s, o.variant)
    if (!report && !['allowed', 'denied'].includes(want)) {
      console.log(`REJECTED  ${s.name}: no expectation for ${o.variant}`)
      rejected++
      continue
    }
    let d
    try {
      d = await decide(s, env)
    } catch (e) {
      if (!(e instanceof Rejected)) throw e
      console.log(`REJECTED  ${s.name}: ${e.message}`)
      rejected++
      continue
    }
    const got = d.allowed ? 'allowed' : 'denied'
    s.baseline = got
    results.push({ name: s.name, kind: s.kind, path: s.path, decision: got, expected: want, residual: s.residual })
    const label = s.kind === 'call' ? 'call' : 'attack'
    if (report) {
      console.log(`${got.toUpperCase().padEnd(8)} ${label} ${s.name}`)
      continue
    }
    const ok = got === want
    if (!ok) wrong++
    const why = !ok && got === 'denied' ? `  [${d.denied.join('; ')}]` : ''
    const residual = s.residual && got === 'allowed' ? '  (residual)' : ''
    console.log(`${ok ? 'ok   ' : 'WRONG'} ${got.toUpperCase().padEnd(8)} ${label} ${s.name}${residual}${why}`)
  }

  let unguarded = 0
  if (o.mutate && !report) {
    const attacks = scenarios.filter((s) => s.kind === 'attack' && s.baseline === 'denied' && expected(s, o.variant) === 'denied')
    const check = async (label, doc, applies, run) => {
      console.log(`\nmutation check: ${label} (each condition key removed in turn; an attack must get through)`)
      for (const m of mutations(doc)) {
        const candidates = attacks.filter((s) => applies(s) && s.requests.some((r) => m.actions.some((a) => actionMatches(a, r.action))))
        const flipped = []
        for (const s of candidates) {
          if ((await run(s, m)).allowed) flipped.push(s.name)
        }
        if (flipped.length === 0) unguarded++
        const by = flipped.length ? `guarded: ${flipped[0]}${flipped.length > 1 ? ` (+${flipped.length - 1})` : ''}` : 'UNGUARDED: no attack gets through without it'
        console.log(`  ${m.sid.padEnd(30)} ${m.what.padEnd(72)} ${by}`)
      }
    }
    await check('deployer policy', policy, (s) => (s.who ?? 'deployer') === 'deployer', (s, m) => decide(s, env, m.doc, undefined, m.actions))
    await check('permissions boundary', boundary, (s) => (s.who ?? 'deployer') !== 'deployer', (s, m) => decide(s, env, undefined, m.doc, m.actions))
  }

  if (o.json) writeFileSync(o.json, JSON.stringify(results, null, 1) + '\n')
  const n = results.length
  const summary = report
    ? `${n} scenarios decided (report only)`
    : `${n - wrong} of ${n} as expected${wrong ? `, ${wrong} WRONG` : ''}${rejected ? `, ${rejected} rejected` : ''}${unguarded ? `, ${unguarded} unguarded condition(s)` : ''}`
  console.log(`\nevaluate (${o.variant}, ${o.policy}): ${summary}`)
  process.exit(wrong || rejected || unguarded ? 1 : 0)
}

main().catch((e) => {
  console.error(e.message ?? e)
  process.exit(2)
})
