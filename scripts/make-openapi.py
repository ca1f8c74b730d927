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
    "ts": {"oneOf": [{"type": "string", "description": "RFC 3339"}, {"type": "number", "description": "Epoch seconds; a number from 1e11 up is epoch milliseconds (seconds that large are past the year 5000)."}], "description": "Event time; defaults to now. At most max_future ahead of the server's clock."},
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
  "id": {"type": "string"}, "offense": {"type": "integer"}, "label": {"type": "string", "description": "The label a label(…) penalty put on its target."},
  "durability": {"type": "string", "enum": ["single_node", "replicated", "primary_only"], "description": "With Redis state: what the stored record survives. single_node: one Redis server, as durable as its persistence; replicated: a replica acknowledged it; primary_only: only the master has it (lost if the master fails before a replica syncs). Absent with memory or SQLite state."}}}
ruleset = {"type": "object", "required": ["name", "digest"], "properties": {"name": {"type": "string"}, "version": {"type": "string"}, "digest": {"type": "string"}}}
decision = {"type": "object", "required": ["id", "type", "decision", "score", "fired", "penalties", "shadow", "ruleset"], "properties": {
  "id": {"type": "string"}, "type": {"type": "string", "enum": ["send", "issue", "redeem"]},
  "decision": {"type": "string", "enum": ["allow", "challenge", "review", "block"]}, "score": {"type": "number"},
  "fired": {"type": "array", "items": {"$ref": "#/components/schemas/FiredRule"}},
  "penalties": {"type": "array", "items": {"$ref": "#/components/schemas/Penalty"}},
  "shadow": {"type": "array", "items": {"$ref": "#/components/schemas/FiredRule"}},
  "ruleset": {"$ref": "#/components/schemas/RuleSetInfo"},
  "case": {"type": "string", "description": "The review case this decision opened."},
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
reviewer_errors = {"401": resp("The reviewer or admin token is required.", err), "403": resp("Reviewer routes are off: no reviewer or admin token is configured.", err),
                   "503": resp("The store did not take the change, or this server keeps no review loop.", err)}
CHANGE_KINDS = ["reload", "rollback", "lift", "case_claim", "case_resolve", "label_add", "label_remove", "list_add", "list_remove", "draft", "draft_approve"]
stamp = {"type": "string", "description": "RFC 3339"}
case = {"type": "object", "required": ["id", "status", "opened", "account", "event_id", "digest", "rules", "tags", "penalties", "claim", "resolution", "event", "decision"], "properties": {
  "id": {"type": "string"}, "status": {"type": "string", "enum": ["open", "claimed", "resolved"]}, "opened": stamp, "account": {"type": "string"},
  "event_id": {"type": "string"}, "digest": {"type": "string"}, "rules": {"type": "array", "items": {"type": "string"}},
  "tags": {"type": "array", "items": {"type": "string"}}, "penalties": {"type": "array", "items": {"type": "string"}, "description": "Ledger ids an overturn lifts."},
  "claim": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["by", "until"], "properties": {"by": {"type": "string"}, "until": stamp}}]},
  "resolution": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["outcome", "label", "note", "by", "at", "lifted"], "properties": {
      "outcome": {"type": "string", "enum": ["confirm", "overturn"]}, "label": {"type": "string"}, "note": {"type": "string"}, "by": {"type": "string"},
      "at": stamp, "lifted": {"type": "array", "items": {"type": "string"}}}}]},
  "event": {"$ref": "#/components/schemas/Event"}, "decision": {"$ref": "#/components/schemas/Decision"}}}
label_target = {"type": "object", "minProperties": 1, "maxProperties": 1, "properties": {k: {"type": "string"} for k in ("account", "code", "device")}, "additionalProperties": {"type": "string"}}
label = {"type": "object", "required": ["target", "label", "expires", "reason", "by", "at"], "properties": {
  "target": {"$ref": "#/components/schemas/LabelTarget"}, "label": {"type": "string"}, "expires": {"type": ["string", "null"]},
  "reason": {"type": "string"}, "by": {"type": "string"}, "at": stamp}}
list_entry = {"type": "object", "required": ["list", "entry", "expires", "reason", "by", "at"], "properties": {
  "list": {"type": "string"}, "entry": {"type": "string"}, "expires": {"type": ["string", "null"]}, "reason": {"type": "string"}, "by": {"type": "string"}, "at": stamp}}
change = {"type": "object", "required": ["seq", "at", "kind", "by", "reason", "subject", "detail"], "properties": {
  "seq": {"type": "integer"}, "at": stamp, "kind": {"type": "string", "enum": CHANGE_KINDS}, "by": {"type": "string"}, "reason": {"type": "string"},
  "subject": {"type": "string"}, "detail": {"type": "object"}}}
rule_set_version = {"type": "object", "required": ["digest", "name", "version", "loaded_at", "by", "reason", "files", "serving"], "properties": {
  "digest": {"type": "string"}, "name": {"type": "string"}, "version": {"type": ["string", "null"]}, "loaded_at": stamp, "by": {"type": "string"},
  "reason": {"type": "string"}, "files": {"type": "array", "items": {"type": "string"}}, "serving": {"type": "boolean"}}}
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
    "operationId": "penalties", "summary": "Penalties on an account or a code (those in force); without either, a page of the whole ledger, filtered.", "security": read,
    "parameters": [{"name": "account", "in": "query", "required": False, "schema": {"type": "string"}},
                   {"name": "code", "in": "query", "required": False, "schema": {"type": "string"}},
                   {"name": "status", "in": "query", "required": False, "schema": {"type": "string", "enum": ["in_force", "lifted", "ended", "all"]}, "description": "Without account or code: which records (default in_force)."},
                   {"name": "action", "in": "query", "required": False, "schema": {"type": "string", "enum": ["disable_generation", "restrict_send", "revoke_code", "delete_content", "hold_reward", "warn", "label"]}},
                   {"name": "rule", "in": "query", "required": False, "schema": {"type": "string"}},
                   {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 1000}, "description": "Records a page (default 100)."},
                   {"name": "after", "in": "query", "required": False, "schema": {"type": "string"}, "description": "The `next` of the previous page."}],
    "responses": {"200": resp("The penalties; a listing adds the count matched and the cursor of the next page.", {"type": "object", "required": ["penalties"], "properties": {
                      "penalties": {"type": "array", "items": {"$ref": "#/components/schemas/PenaltyRecord"}},
                      "matched": {"type": "integer", "description": "Records matching the filters, over every page."},
                      "next": {"type": ["string", "null"], "description": "Pass as after= for the next page; null on the last."}}}),
                  "400": resp("A filter that is not one (an unknown status or action, a bad limit, an unknown cursor).", err), "401": resp("The read token is required.", err)}}},
  "/v1/penalties/{id}/lift": {"post": {
    "operationId": "lift", "summary": "Lift a penalty (an appeal).", "security": bearer,
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "minLength": 1}, "by": {"type": "string"}}},
       "example": {"reason": "appeal accepted", "by": "alice"}}}},
    "responses": {"200": resp("The record, lifted.", {"$ref": "#/components/schemas/PenaltyRecord"}), **common,
                  "401": resp("The admin token is required.", err), "403": resp("Admin routes are off: no admin token is configured.", err),
                  "404": resp("No such penalty.", err), "503": resp("The lift was not stored (the ledger failed).", err)}}},
  "/v1/rules": {"get": {
    "operationId": "rules", "summary": "The rule set in use.", "security": read,
    "responses": {"200": resp("Name, version, digest and rules.", {"type": "object", "required": ["name", "digest", "rules"], "properties": {
        "name": {"type": "string"}, "version": {"type": "string"}, "digest": {"type": "string"},
        "timezone": {"type": "string", "description": "The rule set's time zone (IANA name)."},
        "reward_tiers": {"type": "array", "items": {"type": "integer"}},
        "rules": {"type": "array", "items": {"type": "object", "required": ["name", "tags", "mode"], "properties": {
            "name": {"type": "string"}, "description": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}},
            "mode": {"type": "string", "enum": ["enforce", "shadow"]}, "rollout": {"type": "number"}}}},
        "live_lists": {"type": "array", "items": {"type": "string"}, "description": "Lists declared live: true, whose entries change through /v1/lists."}}}),
                  "401": resp("The read token is required.", err)}}},
  "/v1/rules/reload": {"post": {
    "operationId": "reload", "summary": "Compile the rule set again and swap it in if it has no errors.", "security": bearer,
    "requestBody": {"required": False, "content": {"application/json": {"schema": {"type": "object", "properties": {"by": {"type": "string"}, "reason": {"type": "string"}}},
       "example": {"by": "carol", "reason": "new fraud phrases"}}}},
    "responses": {"400": resp("A bad body.", err), "200": resp("Accepted.", {"$ref": "#/components/schemas/Reload"}), "422": resp("Refused: the rule set has errors; the old one keeps serving.", {"$ref": "#/components/schemas/Reload"}),
                  "401": resp("The admin token is required.", err), "403": resp("Admin routes are off: no admin token is configured.", err)}}},
  "/v1/cases": {"get": {
    "operationId": "cases", "summary": "The review queue, oldest first, paged.", "security": read,
    "parameters": [{"name": "status", "in": "query", "required": False, "schema": {"type": "string", "enum": ["open", "claimed", "resolved"]}},
                   {"name": "rule", "in": "query", "required": False, "schema": {"type": "string"}},
                   {"name": "tag", "in": "query", "required": False, "schema": {"type": "string"}},
                   {"name": "account", "in": "query", "required": False, "schema": {"type": "string"}},
                   {"name": "since", "in": "query", "required": False, "schema": {"type": "string"}, "description": "RFC 3339 or epoch seconds."},
                   {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
                   {"name": "after", "in": "query", "required": False, "schema": {"type": "string"}, "description": "The last case id of the previous page."}],
    "responses": {"200": resp("A page of cases.", {"type": "object", "required": ["cases", "next"], "properties": {
        "cases": {"type": "array", "items": {"$ref": "#/components/schemas/Case"}}, "next": {"type": ["string", "null"]}}}),
                  "400": resp("A bad parameter.", err), "401": resp("A token is required.", err), "503": resp("This server keeps no review loop.", err)}}},
  "/v1/cases/labels.csv": {"get": {
    "operationId": "casesLabels", "summary": "Resolved cases as training data: label,content,case,event,resolved_at.", "security": read,
    "parameters": [{"name": "since", "in": "query", "required": False, "schema": {"type": "string"}, "description": "Resolved at or after (RFC 3339 or epoch seconds)."}],
    "responses": {"200": resp("CSV that warden train and warden eval read as it is.", {"type": "string"}, "text/csv"),
                  "400": resp("A bad parameter.", err), "401": resp("A token is required.", err), "503": resp("This server keeps no review loop.", err)}}},
  "/v1/cases/{id}": {"get": {
    "operationId": "case", "summary": "One case: the event, the decision with its evidence, the claim, the resolution.", "security": read,
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
    "responses": {"200": resp("The case.", {"$ref": "#/components/schemas/Case"}), "401": resp("A token is required.", err),
                  "404": resp("No such case.", err), "503": resp("This server keeps no review loop.", err)}}},
  "/v1/cases/{id}/claim": {"post": {
    "operationId": "claim", "summary": "Claim a case for a lease (default 10 minutes); the holder may renew it.", "security": bearer,
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
    "requestBody": {"required": False, "content": {"application/json": {"schema": {"type": "object", "properties": {
        "by": {"type": "string"}, "lease": {"type": "string", "description": "A duration up to 1d, such as 10m."}}}, "example": {"by": "alice"}}}},
    "responses": {"200": resp("The case, claimed.", {"$ref": "#/components/schemas/Case"}), **common, **reviewer_errors,
                  "404": resp("No such case.", err), "409": resp("Another reviewer holds it, or it is resolved.", err)}}},
  "/v1/cases/{id}/resolve": {"post": {
    "operationId": "resolve", "summary": "Resolve a case: confirm, or overturn (every penalty the decision recorded is lifted).", "security": bearer,
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["outcome"], "properties": {
        "outcome": {"type": "string", "enum": ["confirm", "overturn"]}, "label": {"type": "string", "description": "The training label (spam, fraud, ham …)."},
        "note": {"type": "string"}, "by": {"type": "string"}}}, "example": {"outcome": "overturn", "label": "ham", "note": "a greeting", "by": "alice"}}}},
    "responses": {"200": resp("The case, resolved.", {"$ref": "#/components/schemas/Case"}), **common, **reviewer_errors,
                  "404": resp("No such case.", err), "409": resp("Resolved already, or claimed by another reviewer.", err)}}},
  "/v1/labels": {
    "get": {"operationId": "labels", "summary": "Labels in force on an account, a code or a device.", "security": read,
      "parameters": [{"name": k, "in": "query", "required": False, "schema": {"type": "string"}} for k in ("account", "code", "device")],
      "responses": {"200": resp("The labels.", {"type": "object", "required": ["labels"], "properties": {"labels": {"type": "array", "items": {"$ref": "#/components/schemas/Label"}}}}),
                    "400": resp("No target given.", err), "401": resp("A token is required.", err), "503": resp("This server keeps no review loop.", err)}},
    "post": {"operationId": "addLabel", "summary": "Put a label on an account, a code or a device (rules read it with has_label).", "security": bearer,
      "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["target", "label", "reason"], "properties": {
          "target": {"$ref": "#/components/schemas/LabelTarget"}, "label": {"type": "string"},
          "expires": {"type": ["string", "null"], "description": "A duration from now (30d), an RFC 3339 time, or null."},
          "reason": {"type": "string"}, "by": {"type": "string"}}},
          "example": {"target": {"account": "u1"}, "label": "trusted", "expires": "30d", "reason": "verified merchant"}}}},
      "responses": {"200": resp("The label.", {"$ref": "#/components/schemas/Label"}), **common, **reviewer_errors}},
    "delete": {"operationId": "removeLabel", "summary": "Remove a label (target, label and reason in the query or the body).", "security": bearer,
      "parameters": [{"name": k, "in": "query", "required": False, "schema": {"type": "string"}} for k in ("account", "code", "device", "label", "reason", "by")],
      "responses": {"200": resp("Removed.", {"type": "object", "required": ["removed"], "properties": {"removed": {"type": "boolean"}}}), **common, **reviewer_errors,
                    "404": resp("The target has no such label.", err)}}},
  "/v1/lists/{name}": {"get": {
    "operationId": "liveList", "summary": "The entries added to a live list.", "security": read,
    "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
    "responses": {"200": resp("The live entries.", {"type": "object", "required": ["list", "entries"], "properties": {
        "list": {"type": "string"}, "rule_set_entries": {"type": "integer"}, "cap": {"type": "integer"},
        "entries": {"type": "array", "items": {"$ref": "#/components/schemas/ListEntry"}}}}),
                  "401": resp("A token is required.", err), "404": resp("No live list of that name in the rule set.", err), "503": resp("This server keeps no review loop.", err)}}},
  "/v1/lists/{name}/entries": {
    "post": {"operationId": "addEntry", "summary": "Add an entry to a live list: the next check matches it, with the list's folds.", "security": bearer,
      "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
      "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["entry", "reason"], "properties": {
          "entry": {"type": "string", "maxLength": 200}, "expires": {"type": ["string", "null"]}, "reason": {"type": "string"}, "by": {"type": "string"}}},
          "example": {"entry": "vx领码", "expires": "7d", "reason": "new wave of invite scams"}}}},
      "responses": {"200": resp("The entry.", {"$ref": "#/components/schemas/ListEntry"}), **common, **reviewer_errors,
                    "404": resp("No live list of that name in the rule set.", err)}},
    "delete": {"operationId": "removeEntry", "summary": "Remove an entry of a live list.", "security": bearer,
      "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}] +
                    [{"name": k, "in": "query", "required": False, "schema": {"type": "string"}} for k in ("entry", "reason", "by")],
      "responses": {"200": resp("Removed.", {"type": "object", "required": ["removed"], "properties": {"removed": {"type": "boolean"}}}), **common, **reviewer_errors,
                    "404": resp("No such live list or entry.", err)}}},
  "/v1/changes": {"get": {
    "operationId": "changes", "summary": "The change log: reloads, rollbacks, lifts, case claims and outcomes, labels, list entries.", "security": read,
    "parameters": [{"name": "since", "in": "query", "required": False, "schema": {"type": "string"}},
                   {"name": "kind", "in": "query", "required": False, "schema": {"type": "string", "enum": CHANGE_KINDS}},
                   {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 10000}}],
    "responses": {"200": resp("Changes, oldest first.", {"type": "object", "required": ["changes"], "properties": {"changes": {"type": "array", "items": {"$ref": "#/components/schemas/Change"}}}}),
                  "400": resp("A bad parameter.", err), "401": resp("A token is required.", err), "503": resp("This server keeps no review loop.", err)}}},
  "/v1/rules/history": {"get": {
    "operationId": "history", "summary": "Every rule set this store has served, newest first.", "security": read,
    "responses": {"200": resp("The rule sets.", {"type": "object", "required": ["serving", "rule_sets"], "properties": {
        "serving": {"type": "string"}, "rule_sets": {"type": "array", "items": {"$ref": "#/components/schemas/RuleSetVersion"}}}}),
                  "401": resp("A token is required.", err), "503": resp("This server keeps no review loop.", err)}}},
  "/v1/rules/rollback": {"post": {
    "operationId": "rollback", "summary": "Serve a stored rule set again (compiled again; refused like a bad reload).", "security": bearer,
    "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["digest", "reason"], "properties": {
        "digest": {"type": "string"}, "reason": {"type": "string"}, "by": {"type": "string"}}}, "example": {"digest": "sha256:…", "reason": "the new version flags greetings"}}}},
    "responses": {"200": resp("Accepted.", {"$ref": "#/components/schemas/Reload"}), "422": resp("Refused: it no longer compiles; the rule set serving keeps serving.", {"$ref": "#/components/schemas/Reload"}),
                  **common, "401": resp("The admin token is required.", err), "403": resp("Admin routes are off: no admin token is configured.", err),
                  "404": resp("No stored rule set with that digest.", err), "503": resp("This server keeps no review loop.", err)}}},
  "/v1/rules/drafts": {
    "get": {"operationId": "drafts", "summary": "Rule-set drafts, newest first.", "security": read,
      "responses": {"200": resp("The drafts (file names only).", {"type": "object", "required": ["drafts"], "properties": {"drafts": {"type": "array", "items": {"$ref": "#/components/schemas/Draft"}}}}),
                    "401": resp("A token is required.", err), "503": resp("This server keeps no review loop.", err)}},
    "post": {"operationId": "createDraft", "summary": "Store a candidate rule set: the live files with these changes, linted and tried beside the live rule set on the events given.", "security": bearer,
      "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "required": ["files", "reason"], "properties": {
          "files": {"type": "object", "minProperties": 1, "additionalProperties": {"type": ["string", "null"]}, "description": "Path → new text; null removes the file."},
          "events": {"type": "array", "maxItems": 10000, "items": {"$ref": "#/components/schemas/Event"}}, "reason": {"type": "string"}, "by": {"type": "string"}}},
          "example": {"files": {"99-decide.rules": "decide {\n  block when score >= 120\n  review when score >= 50\n}\n"}, "reason": "fewer blocks", "by": "carol"}}}},
      "responses": {"201": resp("Stored; it compiles.", {"$ref": "#/components/schemas/Draft"}), "422": resp("Stored with its errors; it cannot be approved.", {"$ref": "#/components/schemas/Draft"}),
                    **common, "401": resp("The admin token is required.", err), "403": resp("Admin routes are off: no admin token is configured.", err),
                    "503": resp("The store did not take it, or this server keeps no review loop.", err)}}},
  "/v1/rules/drafts/{id}": {"get": {
    "operationId": "draft", "summary": "One draft with its files.", "security": read,
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
    "responses": {"200": resp("The draft.", {"$ref": "#/components/schemas/Draft"}), "401": resp("A token is required.", err),
                  "404": resp("No such draft.", err), "503": resp("This server keeps no review loop.", err)}}},
  "/v1/rules/drafts/{id}/approve": {"post": {
    "operationId": "approveDraft", "summary": "Publish a draft (with --require-approval, by someone other than its author).", "security": bearer,
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
    "requestBody": {"required": False, "content": {"application/json": {"schema": {"type": "object", "properties": {"by": {"type": "string"}, "reason": {"type": "string"}}},
        "example": {"by": "dave", "reason": "checked the dry run"}}}},
    "responses": {"200": resp("Published.", {"type": "object", "required": ["draft", "accepted", "digest"], "properties": {"draft": {"$ref": "#/components/schemas/Draft"}}, "additionalProperties": True}),
                  "422": resp("It does not compile; the live rule set keeps serving.", {"type": "object"}), **common,
                  "401": resp("The admin token is required.", err), "403": resp("Admin routes are off: no admin token is configured.", err),
                  "404": resp("No such draft.", err), "409": resp("Published or withdrawn already, or its author may not approve it.", err),
                  "503": resp("The store did not take it, or this server keeps no review loop.", err)}}},
  "/v1/accounts/{id}": {"get": {
    "operationId": "account", "summary": "An account: penalties in force, labels, its place in the invite graph.", "security": read,
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
    "responses": {"200": resp("The account.", {"type": "object", "required": ["account", "penalties", "labels", "recent", "invite"], "properties": {
        "account": {"type": "string"}, "penalties": {"type": "array", "items": {"$ref": "#/components/schemas/PenaltyRecord"}},
        "labels": {"type": "array", "items": {"$ref": "#/components/schemas/Label"}},
        "recent": {"type": "array", "description": "The last decisions other than allow this server made for it, newest first (at most 10).",
            "items": {"type": "object", "required": ["id", "type", "at", "decision", "rules", "case"], "properties": {
                "id": {"type": "string"}, "type": {"type": "string"}, "at": stamp, "decision": {"type": "string", "enum": ["challenge", "review", "block"]},
                "rules": {"type": "array", "items": {"type": "string"}}, "case": {"type": ["string", "null"]}}}},
        "invite": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["inviter", "depth", "joined", "code", "direct", "descendants", "qualified", "pending", "flagged", "tier"], "properties": {
            "inviter": {"type": ["string", "null"]}, "depth": {"type": "integer"}, "joined": {"type": ["string", "null"]}, "code": {"type": ["string", "null"]},
            "direct": {"type": "integer"}, "descendants": {"type": "integer"},
            "qualified": {"type": "integer", "description": "Direct invitees that count toward a reward (reward_tiers)."},
            "pending": {"type": "integer", "description": "Clean invitees not yet back after reward_requires_return."},
            "flagged": {"type": "integer"}, "tier": {"type": "integer", "description": "0 below the first tier, 1 at the first, and so on."}}}]}}}),
                  "401": resp("A token is required.", err), "404": resp("Warden has never seen the account ({\"error\"} only).", err)}}},
  "/v1/accounts/{id}/downline": {"get": {
    "operationId": "downline", "summary": "The accounts below one in the invite graph, level by level (a 团长's 下级用户).", "security": read,
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                   {"name": "depth", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 64}, "description": "Levels down (default 8)."},
                   {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
                   {"name": "after", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}, "description": "The cursor of the previous page."}],
    "responses": {"200": resp("A page of the downline.", {"type": "object", "required": ["account", "downline", "next"], "properties": {
        "account": {"type": "string"}, "next": {"type": ["string", "null"]},
        "downline": {"type": "array", "items": {"type": "object", "required": ["account", "inviter", "depth", "joined", "status"], "properties": {
            "account": {"type": "string"}, "inviter": {"type": "string"}, "depth": {"type": "integer"}, "joined": stamp,
            "code": {"type": ["string", "null"]}, "device": {"type": ["string", "null"]}, "network": {"type": ["string", "null"]},
            "status": {"type": "string", "enum": ["ok", "flagged", "held", "penalized"]}}}}}}),
                  "400": resp("A depth, limit or cursor out of range.", err), "401": resp("A token is required.", err),
                  "404": resp("The account is in no invite tree.", err)}}},
  "/v1/rules/files": {"get": {
    "operationId": "ruleFiles", "summary": "The text files (rules, word lists) of the rule set serving, for a candidate to start from.", "security": bearer,
    "responses": {"200": resp("The files.", {"type": "object", "required": ["digest", "files", "omitted"], "properties": {
        "digest": {"type": "string"}, "files": {"type": "object", "additionalProperties": {"type": "string"}},
        "omitted": {"type": "array", "items": {"type": "string"}, "description": "Files that are not text (models), by path."}}}),
                  "401": resp("The admin token is required.", err), "403": resp("Admin routes are off: no admin token is configured.", err)}}},
  "/v1/backtests": {"get": {
    "operationId": "backtests", "summary": "The backtests kept (the last 20), newest first, without their results.", "security": read,
    "responses": {"200": resp("The runs.", {"type": "object", "required": ["backtests"], "properties": {"backtests": {"type": "array", "items": {"$ref": "#/components/schemas/Backtest"}}}}),
                  "401": resp("A token is required.", err)}},
   "post": {
    "operationId": "startBacktest", "summary": "Run a candidate rule set beside the live one over this server's archive (serve --archive), on fresh engines.", "security": bearer,
    "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "properties": {
        "files": {"type": "object", "additionalProperties": {"type": ["string", "null"]}, "description": "path → text, applied to the live rule set's files (null removes one)."},
        "digest": {"type": "string", "description": "A rule set of /v1/rules/history instead of files."},
        "since": {"type": "string", "description": "RFC 3339, or YYYY-MM-DD[ HH:MM[:SS]] in the rule set's zone (default: the archive's start)."},
        "until": {"type": "string", "description": "Excluded; default now."}}},
      "example": {"files": {"10-volume.rules": "…"}, "since": "2026-12-01", "until": "2026-12-06 08:00"}}}},
    "responses": {"202": resp("Started.", {"type": "object", "required": ["id", "status"], "properties": {"id": {"type": "string"}, "status": {"type": "string"}}}),
                  "400": resp("No files nor digest, a bad time, since not before until.", err),
                  "401": resp("The admin token is required.", err), "403": resp("Admin routes are off: no admin token is configured.", err),
                  "404": resp("No stored rule set with that digest.", err),
                  "409": resp("A backtest is running, or this server keeps no archive.", err),
                  "422": resp("The candidate does not compile.", {"type": "object", "required": ["error", "diagnostics"], "properties": {"error": {"type": "string"}, "diagnostics": {"type": "array"}}})}}},
  "/v1/backtests/{id}": {"get": {
    "operationId": "backtest", "summary": "A backtest: status, progress and, when done, what warden dry-run --json writes.", "security": read,
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
    "responses": {"200": resp("The run.", {"allOf": [{"$ref": "#/components/schemas/Backtest"}, {"type": "object", "required": ["result"], "properties": {
        "result": {"type": ["object", "null"], "description": "What warden dry-run --json writes, once done."}}}]}),
                  "401": resp("A token is required.", err), "404": resp("No such backtest.", err)}},
    "delete": {
    "operationId": "cancelBacktest", "summary": "Cancel a running backtest.", "security": bearer,
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
    "responses": {"200": resp("Cancelling.", {"type": "object"}), "401": resp("The admin token is required.", err),
                  "403": resp("Admin routes are off: no admin token is configured.", err),
                  "404": resp("No such backtest.", err), "409": resp("It has ended.", err)}}},
  "/v1/backtests/{id}/report": {"get": {
    "operationId": "backtestReport", "summary": "The dry-run page of a finished backtest.", "security": read,
    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
    "responses": {"200": resp("HTML.", {"type": "string"}, "text/html"), "401": resp("A token is required.", err),
                  "404": resp("No such backtest.", err), "409": resp("Not done yet.", err)}}},
  "/healthz": {"get": {"operationId": "health", "summary": "Liveness.", "responses": {"200": resp("ok", {"type": "string"}, "text/plain")}}},
  "/metrics": {"get": {"operationId": "metrics", "summary": "Prometheus metrics.", "security": read,
    "responses": {"200": resp("The metrics in Prometheus' text format.", {"type": "string"}, "text/plain"), "401": resp("The read token is required.", err)}}},
  "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document.", "responses": {"200": resp("OpenAPI 3.1.", {"type": "object"})}}},
 },
 "components": {
  "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
  "schemas": {"Event": event, "Evidence": evidence, "FiredRule": fired, "Penalty": penalty, "RuleSetInfo": ruleset, "Decision": decision,
              "PenaltyRecord": record, "Diagnostic": diagnostic, "Case": case, "LabelTarget": label_target, "Label": label,
              "ListEntry": list_entry, "Change": change, "RuleSetVersion": rule_set_version,
              "Draft": {"type": "object", "required": ["id", "status", "created", "by", "reason", "digest", "diagnostics", "dry_run", "files"], "properties": {
                  "id": {"type": "string"}, "status": {"type": "string", "enum": ["pending", "published", "withdrawn"]}, "created": stamp, "by": {"type": "string"},
                  "reason": {"type": "string"}, "digest": {"type": ["string", "null"]}, "diagnostics": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnostic"}},
                  "dry_run": {"type": ["object", "null"]}, "approved_by": {"type": ["string", "null"]}, "approved_at": {"type": ["string", "null"]},
                  "files": {"type": ["array", "object"]}}},
              "Backtest": {"type": "object", "required": ["id", "status", "progress", "events", "since", "until", "baseline", "candidate", "created", "warnings", "error", "changed"], "properties": {
                  "id": {"type": "string"}, "status": {"type": "string", "enum": ["queued", "running", "done", "failed", "cancelled"]},
                  "progress": {"type": "number"}, "events": {"type": "integer"}, "since": stamp, "until": stamp, "baseline": {"type": "string"},
                  "candidate": {"type": "string"}, "created": stamp, "warnings": {"type": "array", "items": {"type": "string"}},
                  "error": {"type": ["string", "null"]}, "changed": {"type": ["integer", "null"], "description": "Events whose decision changes, once done."}}},
              "Reload": {"type": "object", "required": ["accepted", "digest", "counters_kept", "counters_reset", "diagnostics"], "properties": {
                  "previous": {"type": "string"},
                  "accepted": {"type": "boolean"}, "digest": {"type": "string"}, "counters_kept": {"type": "number"},
                  "counters_reset": {"type": "array", "items": {"type": "string"}}, "diagnostics": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnostic"}}}},
              "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}, "key": {"type": "string"}, "index": {"type": "integer"}}}},
 },
}
text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
# The served copy is a resource of WardenServer, embedded in the binary (Package.swift).
for path in ("docs/openapi.json", "Sources/WardenServer/Resources/openapi.json"):
    open(os.path.join(ROOT, path), "w").write(text)
