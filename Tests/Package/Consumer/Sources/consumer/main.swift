import WardenEngine

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

// Loads the rule set named on the command line and checks one fraud message through the public
// API an adopter uses. Exits 1 unless the message is blocked with the fraud rule's evidence.
let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    print("usage: consumer RULES")
    exit(2)
}
let warden = try WardenService(rulesAt: arguments[1])
var event = Event(id: "m-1", type: .send, account: "u1")
event.text = "兼职刷单日赚300, 加V: shuadan888 领码"
event.to = ["u2"]
event.code = "AB12CD34"
let decision = warden.check(event)
let rules = decision.fired.map(\.rule)
print("consumer: \(decision.verdict) \(rules)")
exit(decision.verdict == .block && rules.contains("fraud_text") ? 0 : 1)
