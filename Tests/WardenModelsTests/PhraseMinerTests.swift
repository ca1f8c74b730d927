import Testing
import WardenModels

@Suite struct PhraseMinerTests {
    /// Positives carry 代开发票 (and some 刷单); negatives share filler and the word 发票 alone.
    func examples() -> [TrainingExample] {
        let filler = ["今天下午开会", "明天去公司", "我们一起吃饭", "天气很好", "快递到了"]
        var out: [TrainingExample] = []
        for i in 0..<40 {
            let extra = i % 4 == 0 ? "，兼职刷单" : ""
            out.append(TrainingExample(text: "\(filler[i % 5])，本公司代開發票\(extra)", positive: true, label: "spam"))
        }
        for i in 0..<200 {
            let invoice = i % 10 == 0 ? "，记得要发票" : ""
            out.append(TrainingExample(text: filler[i % 5] + invoice, positive: false, label: "ham"))
        }
        return out
    }

    @Test func thePlantedPhraseComesFirstWholeWithItsCountsAndExample() {
        var options = PhraseMiner.Options()
        options.top = 5
        let phrases = PhraseMiner(options: options).mine(examples())
        let top = phrases[0]
        // Folded (traditional → simplified), maximal: 代开发票 absorbs 代开, 开发票 and friends.
        #expect(top.folded == "本公司代开发票")
        #expect(top.text == "本公司代開發票")
        #expect(top.positives == 40)
        #expect(top.negatives == 0)
        #expect(top.precision == 1)
        #expect(top.example == 0)
        #expect(top.span == 7..<14)
        // The brushing job is found too, and nothing contained in an earlier phrase comes back.
        #expect(phrases.contains { $0.folded == "兼职刷单" })
        #expect(!phrases.dropFirst().contains { top.folded.contains($0.folded) || $0.folded.contains(top.folded) })
        // Filler that both classes share is never ranked.
        #expect(!phrases.contains { $0.folded.contains("开会") || $0.folded.contains("吃饭") })
    }

    @Test func supportAndPrecisionFloorsApply() {
        var options = PhraseMiner.Options()
        options.minSupport = 11
        #expect(!PhraseMiner(options: options).mine(examples()).contains { $0.folded == "兼职刷单" })
        options.minSupport = 5
        options.minPrecision = 1
        #expect(PhraseMiner(options: options).mine(examples()).allSatisfy { $0.negatives == 0 })
    }
}
