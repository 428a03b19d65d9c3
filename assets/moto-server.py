"""Start moto's server (the AWS emulator of the sandbox and the tests) with a fix for an
emulator bug that makes it behave unlike AWS. Nothing here adds behaviour AWS lacks.

moto 5.2.5: CreateLaunchTemplateVersion keeps the new version's user data as a plain
string, where CreateLaunchTemplate wraps it; every later launch from that version (an Auto
Scaling group replacing or adding an instance) then fails with a 500. AWS launches from
any version. The fix wraps it the same way CreateLaunchTemplate does.
"""

import sys

from moto.core.types import Base64EncodedString
from moto.ec2.models import launch_templates
from moto.ec2.utils import parse_user_data

_create_version = launch_templates.LaunchTemplate.create_version


def create_version(self, data, description):
    user_data = data.get("UserData")
    if isinstance(user_data, str) and not isinstance(user_data, Base64EncodedString):
        data["UserData"] = parse_user_data(user_data)
    return _create_version(self, data, description)


launch_templates.LaunchTemplate.create_version = create_version

from moto.server import main  # noqa: E402  (after the fix, as moto_server would)

if __name__ == "__main__":
    sys.exit(main())
