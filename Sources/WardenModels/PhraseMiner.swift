import Foundation
import WardenMatching

/// Finds the phrases that separate positive messages from negative ones, for word lists.
///
/// Candidates are the folded n-grams (as word lists fold: a phrase found here matches in a list
/// the way it was counted) of `minLength…maxLength` units that occur in at least `minSupport`
/// positive messages. Each is scored by its log-odds ratio between the classes with an
/// informative Dirichlet prior, divided by its standard deviation (Monroe, Colaresi & Quinn 2008,
/// "Fightin' Words", eq. 16–22), counting messages rather than occurrences. Walking from the best
/// score down, a phrase gives way to its longest extension found in nearly as many positives and
/// at least as precise (the maximal phrase), and is skipped when it contains, is contained in or
/// overlaps a phrase already taken.
package struct PhraseMiner: Sendable {
    package struct Options: Sendable {
        package var minLength = 2
        package var maxLength = 8
        /// Positive messages a phrase must occur in.
        package var minSupport = 5
        /// α₀ of the prior: the prior for each phrase is α₀ times its share of all messages.
        package var priorStrength = 100.0
        /// A phrase gives way to a longer one found in at least this share of its positives.
        package var absorb = 0.9
        /// Phrases whose precision on the data is below this are left out.
        package var minPrecision = 0.0
        package var top = 50
        package init() {}
    }

    package struct Phrase: Sendable {
        /// The folded phrase (what a list matches).
        package var folded: String
        /// The phrase as the example wrote it (a list folds it to `folded`).
        package var text: String
        package var z: Double
        package var logOdds: Double
        /// Messages that contain it, per class.
        package var positives: Int
        package var negatives: Int
        /// Positive share of the messages that contain it.
        package var precision: Double { Double(positives) / Double(max(1, positives + negatives)) }
        /// The first positive message that contains it, and where (original scalars).
        package var example: Int
        package var span: Range<Int>
    }

    package let options: Options
    let table: FoldTable

    package init(options: Options = Options()) {
        self.options = options
        table = FoldTable.forOptions(FoldOptions.all.textFolds)
    }

    /// The best phrases, best first. `progress(done, total)` counts messages read (twice).
    package func mine(_ examples: [TrainingExample], progress: ((Int, Int) -> Void)? = nil) -> [Phrase] {
        let folded = examples.map { FoldedUnits($0.text, table: table) }
        let positives = examples.indices.filter { examples[$0].positive }
        let negatives = examples.indices.filter { !examples[$0].positive }
        // Pass 1: n-grams of the positives, counted once per message.
        var ids: [UInt64: Int32] = [:]
        var positiveCount: [Int32] = []
        var lastSeen: [Int32] = []
        var firstExample: [Int32] = []
        var where_: [(start: Int32, length: Int8)] = []
        let total = examples.count
        for (k, i) in positives.enumerated() {
            forEachNgram(folded[i].units) { hash, start, length in
                if let id = ids[hash] {
                    if lastSeen[Int(id)] != Int32(i) {
                        lastSeen[Int(id)] = Int32(i)
                        positiveCount[Int(id)] += 1
                    }
                } else {
                    ids[hash] = Int32(positiveCount.count)
                    positiveCount.append(1)
                    lastSeen.append(Int32(i))
                    firstExample.append(Int32(i))
                    where_.append((Int32(start), Int8(length)))
                }
            }
            if k % 1024 == 0 { progress?(k, total) }
        }
        // Keep the candidates with enough support.
        var candidates: [UInt64: Int32] = [:]
        for (hash, id) in ids where positiveCount[Int(id)] >= options.minSupport { candidates[hash] = id }
        ids = [:]
        // Pass 2: how many negatives contain each candidate.
        var negativeCount = [Int32](repeating: 0, count: positiveCount.count)
        for id in lastSeen.indices { lastSeen[id] = -1 }
        for (k, i) in negatives.enumerated() {
            forEachNgram(folded[i].units) { hash, _, _ in
                guard let id = candidates[hash], lastSeen[Int(id)] != Int32(i) else { return }
                lastSeen[Int(id)] = Int32(i)
                negativeCount[Int(id)] += 1
            }
            if k % 1024 == 0 { progress?(positives.count + k, total) }
        }
        func units(_ id: Int32) -> ArraySlice<UInt32> {
            let w = where_[Int(id)]
            return folded[Int(firstExample[Int(id)])].units[Int(w.start)..<(Int(w.start) + Int(w.length))]
        }
        // The phrases one unit longer of each candidate (its extensions on either side).
        var extensions: [Int32: [Int32]] = [:]
        for (_, id) in candidates where Int(where_[Int(id)].length) > options.minLength {
            let u = units(id)
            for part in [u.dropLast(), u.dropFirst()] {
                if let shorter = candidates[Self.hash(part)] { extensions[shorter, default: []].append(id) }
            }
        }
        func precision(_ id: Int32) -> Double {
            Double(positiveCount[Int(id)]) / Double(positiveCount[Int(id)] + negativeCount[Int(id)])
        }
        /// The phrase and the longer ones that say the same, shortest first: each an extension
        /// found in nearly as many positives and at least as precise.
        func chain(_ id: Int32) -> [Int32] {
            var out = [id]
            while let next = extensions[out.last!]?
                .filter({
                    Double(positiveCount[Int($0)]) >= options.absorb * Double(positiveCount[Int(out.last!)])
                        && precision($0) >= precision(out.last!)
                })
                .max(by: { positiveCount[Int($0)] != positiveCount[Int($1)] ? positiveCount[Int($0)] < positiveCount[Int($1)] : $0 > $1 }),
                out.count < 16
            {
                out.append(next)
            }
            return out
        }
        // Fightin' Words z-scores, documents as counts.
        let nPositive = Double(positives.count)
        let nNegative = Double(negatives.count)
        let a0 = options.priorStrength
        var scored: [(id: Int32, z: Double, delta: Double)] = []
        for (_, id) in candidates {
            let yp = Double(positiveCount[Int(id)])
            let yn = Double(negativeCount[Int(id)])
            let aw = a0 * (yp + yn) / (nPositive + nNegative)
            let delta = log((yp + aw) / (nPositive + a0 - yp - aw)) - log((yn + aw) / (nNegative + a0 - yn - aw))
            guard delta > 0 else { continue }
            let z = delta / (1 / (yp + aw) + 1 / (yn + aw)).squareRoot()
            scored.append((id, z, delta))
        }
        scored.sort { a, b in
            if a.z != b.z { return a.z > b.z }
            let (la, lb) = (where_[Int(a.id)].length, where_[Int(b.id)].length)
            return la != lb ? la > lb : Array(units(a.id)).lexicographicallyPrecedes(Array(units(b.id)))
        }
        var taken: [[UInt32]] = []
        var phrases: [Phrase] = []
        for s in scored {
            if precision(s.id) < options.minPrecision { continue }
            // The longest form that is inside, around or overlapping no phrase already taken
            // (兼职刷单 after 本公司代开发票 is new; 代开发票兼职 only straddles the two).
            func free(_ id: Int32) -> Bool {
                let u = Array(units(id))
                return !taken.contains(where: { Self.contains($0, u) || Self.contains(u, $0) || Self.overlaps($0, u) })
            }
            guard let id = chain(s.id).reversed().first(where: free) else { continue }
            taken.append(Array(units(id)))
            let example = Int(firstExample[Int(id)])
            let w = where_[Int(id)]
            let range = Int(w.start)..<(Int(w.start) + Int(w.length))
            let span = folded[example].originalSpan(range)
            let yp = Double(positiveCount[Int(id)])
            let yn = Double(negativeCount[Int(id)])
            let aw = a0 * (yp + yn) / (nPositive + nNegative)
            let delta = log((yp + aw) / (nPositive + a0 - yp - aw)) - log((yn + aw) / (nNegative + a0 - yn - aw))
            phrases.append(
                Phrase(
                    folded: folded[example].string(range), text: Self.substring(examples[example].text, span),
                    z: delta / (1 / (yp + aw) + 1 / (yn + aw)).squareRoot(), logOdds: delta, positives: Int(yp),
                    negatives: Int(yn), example: example, span: span))
            if phrases.count == options.top { break }
        }
        progress?(total, total)
        return phrases.sorted { $0.z != $1.z ? $0.z > $1.z : $0.folded < $1.folded }
    }

    /// Every n-gram of the units, with its hash, start and length.
    @inline(__always)
    func forEachNgram(_ units: [UInt32], _ body: (UInt64, Int, Int) -> Void) {
        for start in units.indices {
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            for length in 1...options.maxLength {
                let end = start + length
                guard end <= units.count else { break }
                h = (h ^ UInt64(units[end - 1])) &* 0x100_0000_01B3
                if length >= options.minLength { body(Self.finish(h, length), start, length) }
            }
        }
    }

    static func hash(_ units: ArraySlice<UInt32>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for u in units { h = (h ^ UInt64(u)) &* 0x100_0000_01B3 }
        return finish(h, units.count)
    }

    @inline(__always)
    static func finish(_ h: UInt64, _ length: Int) -> UInt64 {
        var f = h ^ UInt64(length) &* 0x9E37_79B9_7F4A_7C15
        f ^= f >> 31
        return f &* 0xBF58_476D_1CE4_E5B9
    }

    static func substring(_ text: String, _ span: Range<Int>) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: Array(text.unicodeScalars)[span])
        return String(s)
    }

    /// Whether the end of one is the start of the other: by two units, or by one when both are
    /// three units or longer (Chinese words share single characters all the time; phrases that
    /// straddle a longer phrase and its context do too).
    static func overlaps(_ a: [UInt32], _ b: [UInt32]) -> Bool {
        let shortest = a.count >= 3 && b.count >= 3 ? 1 : 2
        for (x, y) in [(a, b), (b, a)] {
            let longest = min(x.count, y.count) - 1
            guard longest >= shortest else { continue }
            for k in shortest...longest where x.suffix(k).elementsEqual(y.prefix(k)) { return true }
        }
        return false
    }

    static func contains(_ a: [UInt32], _ b: [UInt32]) -> Bool {
        guard b.count <= a.count else { return false }
        if b.count == a.count { return a == b }
        for start in 0...(a.count - b.count) where a[start..<(start + b.count)].elementsEqual(b) { return true }
        return false
    }
}
