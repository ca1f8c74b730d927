import Foundation

/// Threads of the audit's own for the parallel decode, instead of dispatch's shared ones: a
/// backtest inside a server lowers their priority (`ThreadPriority.background`) so that the
/// server's checks run first, which it cannot do to dispatch's workers (they serve the whole
/// process, and keep what they are given).
final class WorkerPool: @unchecked Sendable {
    private let condition = NSCondition()
    /// The work given out, and how far it has gone; guarded by `condition`.
    private var job: (@Sendable (Int) -> Void)?
    private var iterations = 0
    private var taken = 0
    private var finished = 0
    private var generation = 0
    private var closed = false

    /// Starts `threads` threads named `name-k`, each running `setup` first (for instance to
    /// lower its priority).
    init(threads: Int, name: String = "warden-decode", setup: @escaping @Sendable () -> Void = {}) {
        for k in 0..<threads {
            let thread = Thread { [self] in
                setup()
                work()
            }
            thread.name = "\(name)-\(k)"
            thread.start()
        }
    }

    /// Runs `body` for 0..<iterations on the pool's threads and the caller's; returns when all are done.
    func perform(iterations: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard iterations > 0 else { return }
        condition.lock()
        job = body
        self.iterations = iterations
        taken = 0
        finished = 0
        generation += 1
        let current = generation
        condition.broadcast()
        condition.unlock()
        runIterations(body, generation: current)
        condition.lock()
        while finished < iterations { condition.wait() }
        job = nil
        condition.unlock()
    }

    /// Stops the threads once they are idle (they hold the pool until then).
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        var seen = 0
        while true {
            condition.lock()
            while !closed && generation == seen { condition.wait() }
            if closed {
                condition.unlock()
                return
            }
            seen = generation
            let body = job
            condition.unlock()
            if let body { runIterations(body, generation: seen) }
        }
    }

    /// Takes iterations of job `generation` one by one until none are left (or a newer job
    /// has replaced it: a thread that woke late must not run the next job's iterations with
    /// this one's body).
    private func runIterations(_ body: (Int) -> Void, generation: Int) {
        while true {
            condition.lock()
            guard self.generation == generation, taken < iterations else {
                condition.unlock()
                return
            }
            let k = taken
            taken += 1
            condition.unlock()
            body(k)
            condition.lock()
            finished += 1
            if finished == iterations { condition.broadcast() }
            condition.unlock()
        }
    }
}

/// The priority of the calling thread.
enum ThreadPriority {
    /// Nice 19 for this thread and the threads it starts (Linux keeps nice per thread): it runs
    /// on what the others leave, at full speed when nothing else wants the cores. Not
    /// SCHED_IDLE: that costs a sixth of the speed on an idle machine (measured), where nice 19
    /// costs a few per cent.
    static func background() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        #endif
    }
}
