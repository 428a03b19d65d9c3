//! VPC flow logs: every accepted and rejected connection of the VPC, written to the
//! stack's log group by the flow logs role (what an incident review starts from).

use super::tags;
use crate::aws::aws;
use crate::engine::Charge;
use crate::engine::settings::{Actual, Setting};
use crate::engine::{Ctx, Error, Found, Resource, Swept};
use async_trait::async_trait;
use aws_sdk_ec2::types::{FlowLogsResourceType, ResourceType, TrafficType};

#[derive(Debug)]
pub struct FlowLog {
    pub name: String,
    pub vpc: String,
    pub log_group: String,
    pub role: String,
}

async fn list(
    cx: &Ctx,
    filters: Vec<aws_sdk_ec2::types::Filter>,
) -> Result<Vec<aws_sdk_ec2::types::FlowLog>, Error> {
    // Every page: the sweep's filter (the stack's tag) may match more than one holds.
    let mut pages = cx
        .ec2()
        .describe_flow_logs()
        .set_filter(Some(filters))
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        out.extend_from_slice(page.map_err(aws("DescribeFlowLogs"))?.flow_logs());
    }
    Ok(out)
}

#[async_trait]
impl Resource for FlowLog {
    fn kind(&self) -> &'static str {
        "flow-log"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn charges(&self) -> Vec<Charge> {
        vec![Charge::FlowLogs]
    }
    fn deps(&self) -> Vec<String> {
        vec![self.vpc.clone(), self.log_group.clone(), self.role.clone()]
    }

    async fn find(&self, cx: &Ctx) -> Result<Found, Error> {
        Ok(Found::tagged(
            list(cx, tags::ec2_filters(cx))
                .await?
                .iter()
                .filter(|f| tags::ec2_ours(cx, f.tags()))
                .filter_map(|f| f.flow_log_id().map(str::to_string))
                .collect(),
        ))
    }

    async fn create(&self, cx: &Ctx) -> Result<String, Error> {
        let role_arn = cx.output(&self.role, "arn")?;
        let out = cx
            .ec2_once()
            .create_flow_logs()
            .resource_type(FlowLogsResourceType::Vpc)
            .resource_ids(cx.dep(&self.vpc)?)
            .traffic_type(TrafficType::All)
            .log_group_name(cx.dep(&self.log_group)?)
            .deliver_logs_permission_arn(role_arn)
            .client_token(&cx.token)
            .tag_specifications(tags::ec2_spec(cx, ResourceType::VpcFlowLog))
            .send()
            .await
            .map_err(aws("CreateFlowLogs"))?;
        if let Some(problem) = out.unsuccessful().first() {
            return Err(Error::Failed(format!(
                "CreateFlowLogs refused: {}",
                problem
                    .error()
                    .and_then(|e| e.message())
                    .unwrap_or("no reason given")
            )));
        }
        out.flow_log_ids()
            .first()
            .cloned()
            .ok_or_else(|| Error::Failed("CreateFlowLogs returned no ID".into()))
    }

    fn desired(&self, cx: &Ctx) -> Vec<Setting> {
        const WHY: &str = "a flow log's source and destination cannot be changed";
        vec![
            Setting::replace("vpc", cx.dep_or_new(&self.vpc), WHY),
            Setting::replace("log group", cx.dep_or_new(&self.log_group), WHY),
        ]
    }

    async fn read(&self, cx: &Ctx, id: &str) -> Result<Actual, Error> {
        let mut a = Actual::new();
        if let Some(f) = list(cx, vec![tags::filter("flow-log-id", id)])
            .await?
            .first()
        {
            a.insert("vpc", f.resource_id().unwrap_or_default().into());
            a.insert("log group", f.log_group_name().unwrap_or_default().into());
        }
        Ok(a)
    }

    async fn delete(&self, cx: &Ctx, id: &str) -> Result<(), Error> {
        cx.ec2()
            .delete_flow_logs()
            .flow_log_ids(id)
            .send()
            .await
            .map_err(aws("DeleteFlowLogs"))?;
        Ok(())
    }

    async fn sweep(&self, cx: &Ctx) -> Result<Vec<Swept>, Error> {
        Ok(list(cx, vec![tags::ec2_stack_filter(&cx.stack)])
            .await?
            .iter()
            .filter_map(|f| tags::ec2_swept(&cx.stack, f.flow_log_id(), f.tags()))
            .collect())
    }
}
