/**
 * What this process is for. The server and the CLI are built from the same
 * feature modules; only the server runs their background loops (the outbox
 * dispatcher, profile lookups, token refreshes, retention), so a CLI command
 * never sends or purges behind the operator's back.
 */
export class ProcessRole {
  constructor(readonly runsBackgroundWork: boolean) {}
}
