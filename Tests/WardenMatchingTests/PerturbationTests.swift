import Testing

@testable import WardenMatching

/// `warden lint --perturb`: entries rewritten through the inverse of each fold of their list.
@Suite struct PerturbationTests {
    @Test func variantsFollowTheListsFolds() {
        let all = Perturbation.variants(of: "加微信", folds: FoldOptions.all.union(.pinyin))
        let byFold = Dictionary(all.map { ($0.fold, $0.text) }, uniquingKeysWith: { a, _ in a })
        #expect(byFold["traditional"] == nil)  // 加微信 is written the same in traditional characters
        #expect(Perturbation.variants(of: "兼职刷单", folds: .all).first { $0.fold == "traditional" }?.text == "兼職刷單")
        #expect(byFold["noise"] == "加🌟微🌟信")
        #expect(byFold["invisible"] == "加\u{200B}微\u{200B}信")
        #expect(byFold["repeats"] == "加加微微信信")
        #expect(byFold["pinyin"] == "jia wei xin")
        #expect(byFold["width"] == nil)  // nothing ASCII to widen
        let ascii = Dictionary(Perturbation.variants(of: "vx1", folds: .all).map { ($0.fold, $0.text) }, uniquingKeysWith: { a, _ in a })
        #expect(ascii["width"] == "ｖｘ１" && ascii["case"] == "VX1" && ascii["letters"] == "ⓥⓧ1" && ascii["digits"] == "vx①")
        #expect(ascii["repeats"] == "vvxx1")  // digits never collapse, so they are not doubled
        // A list that folds nothing gets no variants.
        #expect(Perturbation.variants(of: "加微信", folds: []).isEmpty)
    }

    @Test func whatAListCatchesAndWhatItMisses() {
        let caught = Perturbation.check(KeywordMatcher(lists: [KeywordList(name: "w", entries: ["加微信", "兼职刷单", "vx"])]))
        #expect(caught[0].misses.isEmpty && caught[0].variants > 10 && caught[0].caught == caught[0].variants)
        // An allow-list that covers the noise variant: the self-test reports it.
        let lists = [
            KeywordList(name: "w", entries: ["红包"], except: 1),
            KeywordList(name: "ok", entries: ["红🌟包"], folds: []),
        ]
        let report = Perturbation.check(KeywordMatcher(lists: lists))
        #expect(report[0].misses.map(\.entry) == ["红包"])
        #expect(report[0].misses.first?.variant == Perturbation.Variant(fold: "noise", text: "红🌟包"))
        #expect(report[0].missesByFold == ["noise": 1])
    }
}
