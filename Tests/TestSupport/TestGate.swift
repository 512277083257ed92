/// Lets at most `width` tests at a time past it; the others wait their turn, first come first
/// served. The HTTP suites on PostgreSQL pass through one: all of them at once (well over a
/// hundred servers, each with its own connections, on a two-core machine sharing one
/// PostgreSQL) make single requests wait longer than the test client's timeout, which tests
/// the machine rather than the code.
public actor TestGate {
    private let width: Int
    private var inside = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(width: Int) {
        precondition(width > 0)
        self.width = width
    }

    /// Runs `body` once fewer than `width` others are inside.
    public func run<Value: Sendable>(_ body: @Sendable () async throws -> Value) async throws -> Value {
        await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async {
        if inside < width {
            inside += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func leave() {
        if waiting.isEmpty {
            inside -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
