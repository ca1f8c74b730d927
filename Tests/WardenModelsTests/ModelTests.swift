import Dispatch
import Foundation
import Synchronization
import Testing
import WardenModelTestSupport
import WardenModels

@Suite struct TrainingTests {
    @Test func sameDataGivesTheSameBytes() {
        var g = Synthetic()
        let examples = g.examples()
        let a = Synthetic.train(examples).model.encoded()
        let b = Synthetic.train(examples).model.encoded()
        #expect(a == b)
        // One message relabelled: a different model, and a different data digest.
        var changed = examples
        changed[0].positive = false
        let c = Synthetic.train(changed).model
        #expect(c.encoded() != a)
        #expect(c.header.data.sha256 != (try? TextModel(bytes: a))?.header.data.sha256)
    }

    @Test func learnsTheSyntheticClassesAndSaysSoInTheEstimate() {
        var g = Synthetic()
        let result = Synthetic.train(g.examples())
        let at05 = result.estimate.rows[0]
        #expect(at05.threshold == 0.5)
        #expect(at05.recall > 0.9)
        #expect(at05.precision > 0.9)
        // Fresh messages the trainer never saw.
        var fresh = Synthetic(seed: 7)
        let positives = (0..<100).map { _ in result.model.probability(fresh.positive()) }
        let negatives = (0..<100).map { _ in result.model.probability(fresh.negative()) }
        #expect(positives.filter { $0 >= 0.5 }.count >= 90)
        #expect(negatives.filter { $0 >= 0.5 }.count <= 10)
        #expect(positives.allSatisfy { (0...1).contains($0) } && negatives.allSatisfy { (0...1).contains($0) })
    }

    @Test func headerRecordsWhatWasTrained() throws {
        var g = Synthetic()
        let model = Synthetic.train(g.examples(positives: 50, negatives: 70)).model
        let h = model.header
        #expect(h.format == ModelHeader.currentFormat)
        #expect(h.features.folds == ["all"])
        #expect(h.features.bits == 16)
        #expect(h.labels.positive == ["spam"])
        #expect(h.data.positives == 50 && h.data.negatives == 70)
        #expect(h.data.labels == ["spam": 50, "ham": 70])
        #expect(h.trained == "2026-11-30")
        #expect(h.estimate.map(\.threshold) == [0.5, 0.8, 0.9, 0.95, 0.99])
        #expect(model.size == model.encoded().count)
        #expect(model.size > 4 << 16)
    }

    @Test func plattScalingRecoversAKnownSigmoid() {
        // Margins whose true probability is sigmoid(2m - 1), outcomes drawn deterministically.
        var g = Synthetic(seed: 3)
        var margins: [Double] = []
        var positive: [Bool] = []
        for _ in 0..<20_000 {
            let m = Double(g.next(2_000)) / 250 - 4
            let p = 1 / (1 + exp(-(2 * m - 1)))
            margins.append(m)
            positive.append(Double(g.next(1_000_000)) / 1_000_000 < p)
        }
        let c = Calibration.fit(margins: margins, positive: positive)
        #expect(abs(c.a - 2) < 0.15)
        #expect(abs(c.b + 1) < 0.1)
    }

    @Test func thresholdReportCountsByHand() {
        let r = ThresholdReport(
            scores: [0.95, 0.85, 0.6, 0.4, 0.92, 0.1], positive: [true, true, true, true, false, false],
            labels: ["a", "a", "b", "b", "n", "n"], thresholds: [0.5, 0.9])
        // >= 0.5: tp 3, fp 1; >= 0.9: tp 1, fp 1.
        #expect(r.rows[0].precision == 0.75)
        #expect(r.rows[0].recall == 0.75)
        #expect(r.rows[0].falsePositiveRate == 0.5)
        #expect(r.rows[1].precision == 0.5)
        #expect(r.rows[1].recall == 0.25)
        #expect(r.labels.map(\.label) == ["a", "b", "n"])
        #expect(r.labels.map(\.flagged) == [[2, 1], [1, 0], [1, 1]])
    }
}

@Suite struct ModelFileTests {
    static let bytes: [UInt8] = {
        var g = Synthetic()
        return Synthetic.train(g.examples(positives: 60, negatives: 60), options: Synthetic.options(bits: 10)).model.encoded()
    }()

    func failure(_ bytes: [UInt8]) -> ModelFile.Failure? {
        do {
            _ = try TextModel(bytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func roundTrips() throws {
        let model = try TextModel(bytes: Self.bytes)
        #expect(model.encoded() == Self.bytes)
    }

    @Test func truncatedOrCorruptFilesAreRefused() {
        let expected = Self.bytes.count
        #expect(failure(Array(Self.bytes.prefix(expected - 100))) == .truncated(actual: expected - 100, expected: expected))
        var flipped = Self.bytes
        flipped[expected - 200] ^= 0x10
        #expect(failure(flipped) == .checksum)
        #expect(failure(Self.bytes + [0]) == .header("1 byte after its checksum"))
        #expect(failure(Array("hello".utf8)) == .notAModel)
        #expect(failure([]) == .notAModel)
    }

    /// A finite weight near Float's limit overflowed a text's sum and scored 0 without a word:
    /// refused at load, with the reason.
    @Test func overflowingWeightsAreRefused() throws {
        let (header, bias, weights, _) = try ModelFile.decode(Self.bytes)
        var huge = weights
        huge[3] = 3e38
        guard case .header(let why)? = failure(ModelFile.encode(header: header, bias: bias, weights: huge)) else {
            Issue.record("a model with a weight of 3e38 loaded")
            return
        }
        #expect(why.contains("beyond ±1000000"))
        #expect(failure(ModelFile.encode(header: header, bias: bias, weights: weights)) == nil)
    }

    @Test func aNewerFormatIsRefusedWithItsVersion() {
        var newer = Self.bytes
        let magic = Array("WARDEN-MODEL ".utf8)
        newer[magic.count] = UInt8(ascii: "2")
        #expect(failure(newer) == .version(2))
        #expect(failure(newer)?.description.contains("model format version 2; this Warden reads version 1") == true)
    }

    @Test func aBrokenHeaderSaysWhatIsWrong() {
        let text = String(decoding: Self.bytes, as: UTF8.self)
        let headerStart = text.utf8.firstIndex(of: 0x0A)!
        let lineEnd = text.utf8[text.utf8.index(after: headerStart)...].firstIndex(of: 0x0A)!
        let start = text.utf8.distance(from: text.utf8.startIndex, to: headerStart) + 1
        let end = text.utf8.distance(from: text.utf8.startIndex, to: lineEnd)
        // Replace "calibration" with a name the reader does not know (same length keeps offsets).
        var header = Array(Self.bytes[start..<end])
        let key = Array("\"calibration\"".utf8)
        let at = (0...(header.count - key.count)).first { Array(header[$0..<($0 + key.count)]) == key }!
        header.replaceSubrange(at..<(at + key.count), with: Array("\"calibrator_\"".utf8))
        let broken = Array(Self.bytes[..<start]) + header + Array(Self.bytes[end...])
        #expect(failure(broken) == .header("no 'calibration'"))
    }
}

@Suite struct ScoringTests {
    static let model: TextModel = {
        var g = Synthetic()
        return Synthetic.train(g.examples()).model
    }()

    @Test func foldedFormsScoreLikeWhatTheyMean() {
        let m = Self.model
        #expect(m.margin("兼職刷單，代開發票") == m.margin("兼职刷单代开发票"))
        #expect(m.margin("加🌟微🌟信") == m.margin("加微信"))
        #expect(m.margin("ＤＡＩＫＡＩ　发票") == m.margin("daikai发票"))
        #expect(m.margin("加加加微微信信") == m.margin("加微信"))
        #expect(m.margin("加\u{200B}微\u{200B}信") == m.margin("加微信"))
        #expect(m.probability("兼職刷單，代開發票") > 0.8)
    }

    @Test func evidenceSpansPointAtTheOriginalText() {
        let text = "你好呀，兼 職·刷單 日賺三百 🎉"
        let features = Self.model.explain(text)
        #expect(!features.isEmpty)
        let scalars = Array(text.unicodeScalars)
        for f in features {
            #expect(f.span.lowerBound >= 0 && f.span.upperBound <= scalars.count)
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[f.span])
            #expect(String(s) == f.text)
            #expect(f.weight > 0)
        }
        // The strongest phrase is the brushing job, written as the text wrote it (traditional
        // characters, the space and the dot kept), though the model only saw 兼职刷单.
        let top = features[0]
        #expect(top.text.contains("職·刷單"))
        #expect(features.map(\.weight) == features.map(\.weight).sorted(by: >))
    }

    @Test func evidenceForTextWithoutFeatures() {
        #expect(Self.model.explain("").isEmpty)
        #expect(Self.model.explain("，。！ 🎉").isEmpty)
        let p = Self.model.probability("")
        #expect((0...1).contains(p))
    }

    @Test func manyThreadsShareOneModel() {
        var g = Synthetic(seed: 11)
        let texts = (0..<400).map { i in i % 2 == 0 ? g.positive() : g.negative() }
        let expected = texts.map(Self.model.probability)
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for (i, text) in texts.enumerated() where Self.model.probability(text) != expected[i] {
                mismatches.withLock { $0 += 1 }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}
