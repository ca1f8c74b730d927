import Foundation

/// The process figures every Prometheus client exports (`process_cpu_seconds_total`,
/// `process_resident_memory_bytes`, …), read from /proc when asked.
enum ProcessMetrics {
    static func text() -> String {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return "" }
        // Fields after the command name (which may hold spaces): state is field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        func field(_ n: Int) -> Double { fields.count > n - 3 ? Double(fields[n - 3]) ?? 0 : 0 }
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        let cpu = (field(14) + field(15)) / tick
        let bootTime =
            (try? String(contentsOfFile: "/proc/stat", encoding: .utf8))?.split(separator: "\n")
            .first { $0.hasPrefix("btime ") }.flatMap { Double($0.dropFirst(6)) } ?? 0
        let start = bootTime + field(22) / tick
        let fds = Double((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? 0)
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return [
            MetricsHelp.family("process_cpu_seconds_total", "counter", [([], cpu)], help: "User and system CPU time, seconds."),
            MetricsHelp.family(
                "process_resident_memory_bytes", "gauge", [([], field(24) * page)], help: "Resident memory, bytes."),
            MetricsHelp.family("process_virtual_memory_bytes", "gauge", [([], field(23))], help: "Virtual memory, bytes."),
            MetricsHelp.family(
                "process_start_time_seconds", "gauge", [([], start)], help: "Start time of the process, seconds since 1970."),
            MetricsHelp.family("process_open_fds", "gauge", [([], fds)], help: "Open file descriptors."),
            MetricsHelp.family(
                "process_max_fds", "gauge", [([], Double(min(limit.rlim_cur, UInt(Int32.max))))],
                help: "The limit on open file descriptors."),
        ].joined()
        #else
        return ""
        #endif
    }
}
