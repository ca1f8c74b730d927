/// An immutable array in memory this object owns, for the matcher's hot tables.
///
/// The scan loop reads these tables millions of times a second; plain arrays cost a bounds
/// check and reference counting on each access. A `FixedArray` is filled once at build time and
/// never written again, so reading it through `pointer` is safe as long as the object lives
/// (the matcher holds it for its whole life, and scans run inside `withExtendedLifetime`).
final class FixedArray<Element>: @unchecked Sendable {
    // @unchecked: the memory is written only in `init` and read-only afterwards.
    let pointer: UnsafeMutablePointer<Element>
    let count: Int

    init(_ array: [Element]) {
        count = array.count
        pointer = UnsafeMutablePointer<Element>.allocate(capacity: max(array.count, 1))
        _ = UnsafeMutableBufferPointer(start: pointer, count: array.count).initialize(from: array)
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }
}
