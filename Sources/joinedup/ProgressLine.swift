import Foundation

/// A one-line progress display on a terminal; silent when output is piped, so logs and CI
/// stay clean.
final class ProgressLine: @unchecked Sendable {
    // Only touched from the importing task, one call at a time; @unchecked because the
    // closure that calls it is not marked Sendable-safe by the compiler.
    private let enabled = isatty(STDERR_FILENO) != 0
    private var shown = false

    func show(file: String, read: Int, size: Int, stored: Int, seconds: Double) {
        guard enabled else { return }
        let percent = size > 0 ? min(100, read * 100 / size) : 0
        let rate = seconds > 0 ? Int(Double(stored) / seconds) : 0
        let name = (file as NSString).lastPathComponent
        FileHandle.standardError.write(Data("\r\(name): \(percent)%  \(stored) resources  \(rate)/s   ".utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
        shown = false
    }
}
