/** The `deploy-checker --help` text. */
export const CLI_USAGE = `Usage: deploy-checker check --from <ref> --to <ref> [options]

Checks what deploying <to> over <from> would ship, from a local clone: the commits reachable
from --to and not from --from, the JIRA keys in their messages, and (with JIRA settings) each
ticket's status, risk assessment and post-deploy checks.

Options:
  --from <ref>        what is in production now (branch, tag or SHA)
  --to <ref>          what would be deployed (branch, tag or SHA)
  --repo <path>       the clone to read, bare or not (default: the current directory)
  --config <file>     config file (default: .github/deploy-checker.yml of the --to commit, if any)
  --format <format>   text (default), markdown (for a PR or release note) or json (the report object)
  --projects <keys>   JIRA project keys whose issue keys count, e.g. PROJ,OPS
                      (default: jira.projects of the config, else every project of the JIRA instance)
  -h, --help          show this help
  -v, --version       print the version of deploy-checker

JIRA (optional; the same variables as the app):
  JIRA_BASE_URL with JIRA_EMAIL + JIRA_API_TOKEN (Cloud), or JIRA_PAT (Data Center);
  JIRA_TIMEOUT_MS, JIRA_MAX_ATTEMPTS. Without them the keys and commits are listed and ticket
  checks are skipped; --projects (or jira.projects) is then required.

Exit codes:
  0  no problems
  1  problems found (listed in the output, each with a fix)
  2  could not evaluate: bad arguments or ref, not a git repository, bad config, JIRA unreachable
`;
