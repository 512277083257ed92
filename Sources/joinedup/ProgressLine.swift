import CareRecord
import Foundation

/// A one-line progress display on a terminal; silent when output is piped, so logs and CI
/// stay clean.
final class ProgressLine: @unchecked Sendable {
    // Only touched from the importing task, one call at a time; @unchecked because the
    // closure that calls it is not marked Sendable-safe by the compiler.
    private let enabled = isatty(STDERR_FILENO) != 0
    private var shown = false

    func show(file: String, _ update: ImportProgress, size: Int, seconds: Double) {
        guard enabled else { return }
        let percent = size > 0 ? min(100, update.bytesRead * 100 / size) : 0
        let name = (file as NSString).lastPathComponent
        var line = "\r\(name): "
        if let pass = update.pass { line += "pass \(pass) " }
        line += "\(percent)%"
        if let stored = update.stored {
            line += "  \(stored) resources  \(seconds > 0 ? Int(Double(stored) / seconds) : 0)/s"
        }
        FileHandle.standardError.write(Data((line + "   ").utf8))
        shown = true
    }

    /// Any progress text, on the one line.
    func show(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("\r" + text + "   ").utf8))
        shown = true
    }

    /// A line of its own under the progress line (which it ends), on a terminal only.
    func note(_ text: String) {
        guard enabled else { return }
        finish()
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
        shown = false
    }
}
