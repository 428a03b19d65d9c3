//! Resource kinds, one module each, implementing `engine::Resource`. Adding a kind is one
//! module here plus the lines in a `blueprint` step that place it in the graph.

pub mod adopt;
pub mod adopted;
pub mod autoscaling;
pub mod boundary;
pub mod certificate;
pub mod console;
pub mod db_instance;
pub mod db_parameter_group;
pub mod db_subnet_group;
pub mod default_security_group;
pub mod elastic_ip;
pub mod elb;
pub mod file_system;
pub mod flow_log;
pub mod iam;
pub mod igw_attachment;
pub mod instance;
pub mod internet_gateway;
pub mod key_pair;
pub mod launch_template;
pub mod log_group;
pub mod mount_target;
pub mod nat_gateway;
pub mod parameter;
pub mod route;
pub mod route53;
pub mod route_table;
pub mod route_table_association;
pub mod security_group;
pub mod subnet;
pub mod tags;
pub mod vpc;
pub mod waf;
