import WardenModels

/// Small labelled sets the tests build themselves: positives mix spam phrases into filler,
/// negatives are filler and everyday phrases. Deterministic (a fixed linear congruential
/// generator), so every run trains on the same messages.
package struct Synthetic {
    package static let spamPhrases = ["代开发票", "兼职刷单", "加微信", "日赚三百", "免费领取", "贷款秒批"]
    package static let everyday = ["今天天气不错", "明天开会", "我们去吃饭", "孩子放学了", "快递到了", "周末去爬山", "这本书很好看"]
    package static let filler = Array(
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车"
    )

    package var state: UInt64

    package init(seed: UInt64 = 42) { state = seed }

    package mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }

    package mutating func fillerText(_ length: Int) -> String {
        String((0..<length).map { _ in Self.filler[next(Self.filler.count)] })
    }

    package mutating func positive() -> String {
        fillerText(next(8)) + Self.spamPhrases[next(Self.spamPhrases.count)] + fillerText(next(8))
            + Self.spamPhrases[next(Self.spamPhrases.count)]
    }

    package mutating func negative() -> String {
        fillerText(next(6)) + Self.everyday[next(Self.everyday.count)] + fillerText(next(10))
    }

    package mutating func examples(positives: Int = 300, negatives: Int = 900) -> [TrainingExample] {
        var out: [TrainingExample] = []
        for _ in 0..<positives { out.append(TrainingExample(text: positive(), positive: true, label: "spam")) }
        for _ in 0..<negatives { out.append(TrainingExample(text: negative(), positive: false, label: "ham")) }
        return out
    }

    /// A quick trainer: small table, few passes (tests run in debug builds).
    package static func options(bits: Int = 16) -> Trainer.Options {
        var options = Trainer.Options()
        options.features = FeatureSpec(bits: bits)
        options.epochs = 4
        options.folds = 3
        return options
    }

    package static let labels = LabelRule(textField: "text", labelField: "label", positive: ["spam"], negative: [])

    package static func train(_ examples: [TrainingExample], options: Trainer.Options = Synthetic.options(), date: String = "2026-11-30")
        -> Trainer.Result
    {
        Trainer(options: options).train(examples, labels: labels, files: ["synthetic.csv"], skipped: 0, trained: date)
    }
}

extension Synthetic {
    /// The bytes of a model trained on synthetic messages; `flipped` swaps the classes (a
    /// "retrained" model that scores the other way).
    package static func modelBytes(flipped: Bool = false, bits: Int = 12) -> [UInt8] {
        var g = Synthetic()
        var examples = g.examples(positives: 200, negatives: 400)
        if flipped { for i in examples.indices { examples[i].positive.toggle() } }
        return train(examples, options: options(bits: bits)).model.encoded()
    }
}
