// The go-live gate as a pipeline step: a POSIX sh script (sh and curl, nothing else) that the app
// serves at /api/v1/gate.sh, and the two lines a pipeline runs. Its exit code is the answer:
//   0  the gate is open;
//   1  the gate is closed (the reasons are printed);
//   2  the question could not be asked or answered (no token, network, 401, 404, 5xx, an answer
//      that is no gate), with the cause on one line.
// A failed call must never look like an open gate, nor like a closed one: a pipeline that retries
// on 2 and stops on 1 can then tell "not yet" from "broken".

export const GATE_OPEN = 0;
export const GATE_CLOSED = 1;
export const GATE_CALL_FAILED = 2;

/** The gate as plain text (`?format=text`): the state alone on the first line, then one reason per line. */
export function gateAsText(gate: { open: boolean; reasons: readonly { message: string }[] }): string {
  return [gate.open ? "open" : "closed", ...gate.reasons.map((reason) => reason.message.replace(/\s+/g, " "))].join("\n") + "\n";
}

/** The step as a pipeline runs it: download the script (a failed download stops with 2), then run it. */
export function gateStepCommand(siteOrigin: string, slug: string): string {
  return [
    `curl -fsS -o shipshape-gate.sh "${siteOrigin}/api/v1/gate.sh" || exit ${GATE_CALL_FAILED}`,
    `SHIPSHAPE_URL="${siteOrigin}" sh shipshape-gate.sh ${slug}`,
  ].join("\n");
}

/**
 * The script itself. The token is read from SHIPSHAPE_TOKEN and handed to curl on its standard
 * input, so it never appears in a process list or a log line.
 */
export function gateStepScript(siteOrigin: string): string {
  return `#!/bin/sh
# Shipshape go-live gate: asks ${siteOrigin} whether a project may go live.
#   SHIPSHAPE_TOKEN=ssp_… sh shipshape-gate.sh PROJECT_SLUG
# Exit codes: ${GATE_OPEN} open, ${GATE_CLOSED} closed (reasons printed), ${GATE_CALL_FAILED} the call failed (the cause printed).
# Needs only sh and curl. SHIPSHAPE_URL overrides the server.
set -u

fail() {
  echo "shipshape gate: $*" >&2
  exit ${GATE_CALL_FAILED}
}

url="\${SHIPSHAPE_URL:-${siteOrigin}}"
slug="\${1:-\${SHIPSHAPE_PROJECT:-}}"
[ -n "$slug" ] || fail "no project given: run it as sh shipshape-gate.sh PROJECT_SLUG"
[ -n "\${SHIPSHAPE_TOKEN:-}" ] || fail "SHIPSHAPE_TOKEN is not set: store the project's API token as a pipeline secret"
command -v curl >/dev/null 2>&1 || fail "curl is not installed"

body=$(mktemp) || fail "cannot create a temporary file"
trap 'rm -f "$body"' EXIT

status=$(printf 'Authorization: Bearer %s\\n' "$SHIPSHAPE_TOKEN" |
  curl -sS --max-time 60 --retry 2 --retry-connrefused -H @- -H "Accept: text/plain" \\
    -o "$body" -w '%{http_code}' "$url/api/v1/projects/$slug/gate?format=text" 2>"$body.err")
code=$?
if [ "$code" -ne 0 ]; then
  cause=$(tr '\\n' ' ' <"$body.err")
  rm -f "$body.err"
  fail "could not reach $url (curl exit $code: \${cause:-no detail})"
fi
rm -f "$body.err"

case "$status" in
  200) ;;
  401) fail "the token was refused (HTTP 401): it is missing, malformed, unknown or revoked" ;;
  404) fail "project \\"$slug\\" not found (HTTP 404): check the slug, and that the token is this project's" ;;
  429) fail "too many calls (HTTP 429): try again later" ;;
  5*) fail "the server failed (HTTP $status)" ;;
  *) fail "unexpected answer (HTTP $status)" ;;
esac

state=$(head -n 1 "$body")
case "$state" in
  open)
    echo "Shipshape: the go-live gate of $slug is open."
    exit ${GATE_OPEN}
    ;;
  closed)
    echo "Shipshape: the go-live gate of $slug is closed:" >&2
    tail -n +2 "$body" | sed 's/^/  - /' >&2
    exit ${GATE_CLOSED}
    ;;
  *) fail "the answer is not a gate (it starts with: $(printf '%s' "$state" | cut -c1-80))" ;;
esac
`;
}
