#!/usr/bin/env python3
"""The HTTP API's OpenAPI 3.1 document: writes docs/openapi.json and the copy the server serves
at /openapi.json (Sources/WardenServer/Resources/openapi.json, embedded in the binary). Edit here,
run, commit both; a test checks the two are the same, and Tests/API/schemathesis.sh that the
server answers as the document says."""
import json, os
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The version the binary reports (warden --version), so the document and the server agree.
import re
VERSION = re.search(r'version = "([^"]+)"', open(os.path.join(ROOT, "Sources/WardenEngine/Support/WardenInfo.swift")).read()).group(1)
import json
err = {"$ref": "#/components/schemas/Error"}
def resp(desc, schema=None, ctype="application/json"):
    r = {"description": desc}
    if schema is not None: r["content"] = {ctype: {"schema": schema}}
    return r
common = {
  "400": resp("A request that is not valid: bad JSON, a bad event (the key, and in a batch the index), bad parameters.", err),
  "408": resp("The body did not arrive in full within the request timeout.", err),
  "413": resp("The body is over the server's limit.", err),
}
event = {
  "type": "object", "required": ["id", "type", "account"],
  # A send carries recipients and text; an issue or a redeem carries the code.
  "if": {"properties": {"type": {"const": "send"}}}, "then": {"required": ["to", "text"]}, "else": {"required": ["code"]},
  "properties": {
    "id": {"type": "string", "description": "Unique id of the event (for a send: the message id)."},
    "type": {"type": "string", "enum": ["send", "issue", "redeem"]},
    "ts": {"oneOf": [{"type": "string", "description": "RFC 3339"}, {"type": "number"}], "description": "Event time; defaults to now. At most max_future ahead of the server's clock."},
    "account": {"type": "string"},
    "tier": {"type": "string", "enum": ["personal", "enterprise", "third_party"]},
    "channel": {"type": "string"},
    "ip": {"type": "string"},
    "device": {"type": "string"},
    "to": {"type": "array", "items": {"type": "string"}, "description": "Recipients; required for a send."},
    "text": {"type": "string", "description": "Message content; required for a send."},
    "code": {"type": "string", "description": "The invite code; required for issue and redeem."},
    "ttl": {"oneOf": [{"type": "string"}, {"type": "number"}]},
    "inviter": {"type": "string"},
    "attrs": {"type": "object", "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}, {"type": "null"}]}},
  },
}
evidence = {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["keyword", "regex", "count", "penalty", "model", "invite"]}}, "additionalProperties": True}
fired = {"type": "object", "required": ["rule", "score", "evidence"], "properties": {
  "rule": {"type": "string"}, "score": {"type": "number"}, "tags": {"type": "array", "items": {"type": "string"}},
  "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}}}}
penalty = {"type": "object", "required": ["action", "rule"], "properties": {
  "action": {"type": "string"}, "target": {"type": "object", "additionalProperties": {"type": "string"}},
  "until": {"type": "string", "description": "RFC 3339, or \"forever\""}, "rule": {"type": "string"},
  "id": {"type": "string"}, "offense": {"type": "integer"}}}
ruleset = {"type": "object", "required": ["name", "digest"], "properties": {"name": {"type": "string"}, "version": {"type": "string"}, "digest": {"type": "string"}}}
decision = {"type": "object", "required": ["id", "type", "decision", "score", "fired", "penalties", "shadow", "ruleset"], "properties": {
  "id": {"type": "string"}, "type": {"type": "string", "enum": ["send", "issue", "redeem"]},
  "decision": {"type": "string", "enum": ["allow", "challenge", "review", "block"]}, "score": {"type": "number"},
  "fired": {"type": "array", "items": {"$ref": "#/components/schemas/FiredRule"}},
  "penalties": {"type": "array", "items": {"$ref": "#/components/schemas/Penalty"}},
  "shadow": {"type": "array", "items": {"$ref": "#/components/schemas/FiredRule"}},
  "ruleset": {"$ref": "#/components/schemas/RuleSetInfo"},
  "warnings": {"type": "array", "items": {"type": "string"}}}}
record = {"type": "object", "required": ["id", "action", "target", "start", "offense", "rule", "event"], "properties": {
  "id": {"type": "string"}, "action": {"type": "string"}, "target": {"type": "object", "additionalProperties": {"type": "string"}},
  "start": {"type": "string"}, "until": {"type": "string"}, "offense": {"type": "integer"}, "rule": {"type": "string"}, "event": {"type": "string"},
  "lifted": {"type": "object", "required": ["at", "reason"], "properties": {"at": {"type": "string"}, "reason": {"type": "string"}}}}}
diagnostic = {"type": "object", "required": ["id", "severity", "message"], "properties": {
  "id": {"type": "string"}, "severity": {"type": "string", "enum": ["warning", "error"]}, "message": {"type": "string"},
  "file": {"type": "string"}, "line": {"type": "integer"}, "column": {"type": "integer"}, "end_line": {"type": "integer"},
  "end_column": {"type": "integer"}, "hint": {"type": "string"}}}
bearer = [{"bearer": []}]
read = [{}, {"bearer": []}]
doc = {
 "openapi": "3.1.0",
 "info": {"title": "Warden", "version": VERSION, "description": "Risk-control decisions for invite codes and the messages that carry them (SPEC section 7). The read routes need the read token only when one is configured; admin routes need the admin token."},
 "paths": {
  "/v1/check": {"post": {
    "operationId": "check", "summary": "Decide one event, or several in order.",
    "parameters": [{"name": "dry_run", "in": "query", "required": False, "schema": {"type": "string", "enum": ["true", "false", "1", "0"]}, "description": "Evaluate without changing counters or penalties."}],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {"oneOf": [
       {"$ref": "#/components/schemas/Event"},
       {"type": "object", "required": ["events"], "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}}]},
       "examples": {
         "send": {"value": {"id": "m-1", "type": "send", "account": "u1", "to": ["u2"], "text": "兼职刷单日赚300, 加V领码", "code": "AB12CD34"}},
         "issue": {"value": {"id": "i-1", "type": "issue", "account": "u1", "tier": "personal", "channel": "official_account", "code": "AB12CD34EF", "ttl": "72h"}},
         "batch": {"value": {"events": [{"id": "m-2", "type": "send", "account": "u3", "to": ["u4"], "text": "你好"},
                                        {"id": "r-1", "type": "redeem", "account": "u4", "code": "AB12CD34EF"}]}}}}}},
    "responses": {"200": resp("The decision (or {\"decisions\": […]} for a batch).", {"oneOf": [
        {"$ref": "#/components/schemas/Decision"},
        {"type": "object", "required": ["decisions"], "properties": {"decisions": {"type": "array", "items": {"$ref": "#/components/schemas/Decision"}}}}]}), **common}}},
  "/v1/penalties": {"get": {
    "operationId": "penalties", "summary": "Penalties in force on an account or a code.", "security": read,
    "parameters": [{"name": "account", "in": "query", "required": False, "schema": {"type": "string"}},
                   {"name": "code", "in": "query", "required": False, "schema": {"type": "string"}}],
    "responses": {"200": resp("The penalties in force.", {"type": "object", "required": ["penalties"], "properties": {"penalties": {"type": "array", "items": {"$ref": "#/components/schemas/PenaltyRecord"}}}}),
                  "400": resp("Neither account nor code given.", err), "401": resp("The read token is required.", err)}}},
  "/v1/penalties/{id}/lift": {"post": {
    "operationId": "lift", "summary": "Lift a penalty (an appeal).", "security": bearer,
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "minLength": 1}}},
       "example": {"reason": "appeal accepted"}}}},
    "responses": {"200": resp("The record, lifted.", {"$ref": "#/components/schemas/PenaltyRecord"}), **common,
                  "401": resp("The admin token is required.", err), "403": resp("Admin routes are off: no admin token is configured.", err),
                  "404": resp("No such penalty.", err), "503": resp("The lift was not stored (the ledger failed).", err)}}},
  "/v1/rules": {"get": {
    "operationId": "rules", "summary": "The rule set in use.", "security": read,
    "responses": {"200": resp("Name, version, digest and rules.", {"type": "object", "required": ["name", "digest", "rules"], "properties": {
        "name": {"type": "string"}, "version": {"type": "string"}, "digest": {"type": "string"},
        "rules": {"type": "array", "items": {"type": "object", "required": ["name", "tags", "mode"], "properties": {
            "name": {"type": "string"}, "description": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}},
            "mode": {"type": "string", "enum": ["enforce", "shadow"]}, "rollout": {"type": "number"}}}}}}),
                  "401": resp("The read token is required.", err)}}},
  "/v1/rules/reload": {"post": {
    "operationId": "reload", "summary": "Compile the rule set again and swap it in if it has no errors.", "security": bearer,
    "responses": {"200": resp("Accepted.", {"$ref": "#/components/schemas/Reload"}), "422": resp("Refused: the rule set has errors; the old one keeps serving.", {"$ref": "#/components/schemas/Reload"}),
                  "401": resp("The admin token is required.", err), "403": resp("Admin routes are off: no admin token is configured.", err)}}},
  "/healthz": {"get": {"operationId": "health", "summary": "Liveness.", "responses": {"200": resp("ok", {"type": "string"}, "text/plain")}}},
  "/metrics": {"get": {"operationId": "metrics", "summary": "Prometheus metrics.", "security": read,
    "responses": {"200": resp("The metrics in Prometheus' text format.", {"type": "string"}, "text/plain"), "401": resp("The read token is required.", err)}}},
  "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document.", "responses": {"200": resp("OpenAPI 3.1.", {"type": "object"})}}},
 },
 "components": {
  "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
  "schemas": {"Event": event, "Evidence": evidence, "FiredRule": fired, "Penalty": penalty, "RuleSetInfo": ruleset, "Decision": decision,
              "PenaltyRecord": record, "Diagnostic": diagnostic,
              "Reload": {"type": "object", "required": ["accepted", "digest", "counters_kept", "counters_reset", "diagnostics"], "properties": {
                  "accepted": {"type": "boolean"}, "digest": {"type": "string"}, "counters_kept": {"type": "number"},
                  "counters_reset": {"type": "array", "items": {"type": "string"}}, "diagnostics": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnostic"}}}},
              "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}, "key": {"type": "string"}, "index": {"type": "integer"}}}},
 },
}
text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
# The served copy is a resource of WardenServer, embedded in the binary (Package.swift).
for path in ("docs/openapi.json", "Sources/WardenServer/Resources/openapi.json"):
    open(os.path.join(ROOT, path), "w").write(text)
