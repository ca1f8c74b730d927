import WardenEngine
import WardenSQLite

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// Loads the rule set named on the command line and checks one fraud message through the public
// API an adopter uses, with its penalties in a SQLite file through the StateStore seam. Exits 1
// unless the message is blocked with the fraud rule's evidence and its penalty is in the file.
let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    print("usage: consumer RULES STATE.db")
    exit(2)
}
let ledger = try SQLiteLedger(path: arguments[2])
let warden = try WardenService(rulesAt: arguments[1], state: StateStore(ledger: ledger, snapshots: ledger))
var event = Event(id: "m-1", type: .send, account: "u1")
event.text = "兼职刷单日赚300, 加V: shuadan888 领码"
event.to = ["u2"]
event.code = "AB12CD34"
let decision = warden.check(event)
let rules = decision.fired.map(\.rule)
// Read back from the file as another process would (without taking the server's lock).
let stored = try SQLiteLedger.inspect(path: arguments[2]).penalties
print("consumer: \(decision.verdict) \(rules), \(stored.count) penalties in the file")
exit(decision.verdict == .block && rules.contains("fraud_text") && !stored.isEmpty ? 0 : 1)
