/// How the council's social care case system records people, and how often each kind of
/// error a person-matching engine must survive turns up in its export.
public struct CouncilRecordParameters: Codable, Sendable, Hashable {
    /// The case system's name, written into the export's file name and ground truth.
    public var system: String
    /// Prefix of the system's own client ids.
    public var clientIdPrefix: String
    /// Share of client records that carry an NHS number at all.
    public var nhsNumberRecorded: Double
    /// Share of recorded NHS numbers written with spaces (`999 123 4567`).
    public var nhsNumberSpaced: Double
    /// Share of people with a second, duplicate client record.
    public var duplicateRecord: Double
    public var forenameTypo: Double
    public var surnameTypo: Double
    /// Share of records with a short form of the given name (from `nicknames`).
    public var nickname: Double
    /// Share of records whose day and month of birth were swapped at entry (days 1 to 12).
    public var dayMonthSwapped: Double
    public var dateOfBirthTypo: Double
    public var missingDateOfBirth: Double
    public var missingPostcode: Double
    public var missingSex: Double
    /// Share of records whose address was not updated when the person moved, or was
    /// recorded from an older letter.
    public var staleAddress: Double
    /// Given names and the short forms staff type for them.
    public var nicknames: [String: [String]]

    /// Every error rate by the name a parameters file and `--error NAME=RATE` use: the one
    /// list that checking, naming and setting rates all read.
    private static let rates: [(name: String, path: any WritableKeyPath<CouncilRecordParameters, Double> & Sendable)] = [
        ("nhsNumberRecorded", \.nhsNumberRecorded), ("nhsNumberSpaced", \.nhsNumberSpaced), ("duplicateRecord", \.duplicateRecord),
        ("forenameTypo", \.forenameTypo), ("surnameTypo", \.surnameTypo), ("nickname", \.nickname),
        ("dayMonthSwapped", \.dayMonthSwapped), ("dateOfBirthTypo", \.dateOfBirthTypo), ("missingDateOfBirth", \.missingDateOfBirth),
        ("missingPostcode", \.missingPostcode), ("missingSex", \.missingSex), ("staleAddress", \.staleAddress),
    ]

    func problems() -> [String] {
        var problems = Self.rates.flatMap { shareProblem("councilRecords.\($0.name)", self[keyPath: $0.path]) }
        if system.isEmpty || clientIdPrefix.isEmpty { problems.append("councilRecords.system and clientIdPrefix must not be empty") }
        return problems
    }

    /// The names of the error rates, which `joinedup generate --error NAME=RATE` may set.
    public static let rateNames = rates.map(\.name)

    /// Sets one rate by name; false when there is no such rate.
    public mutating func setRate(_ name: String, _ value: Double) -> Bool {
        guard let rate = Self.rates.first(where: { $0.name == name }) else { return false }
        self[keyPath: rate.path] = value
        return true
    }
}
