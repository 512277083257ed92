/// One row of the council case system's client export, as staff typed it, with the true
/// person it belongs to (written to the separate ground-truth file, never to the export).
public struct CouncilClientRecord: Sendable, Hashable {
    public var clientID: String
    public var forename: String
    public var surname: String
    /// `Male`, `Female`, or empty when not recorded.
    public var sex: String
    /// `dd/MM/yyyy`, or empty.
    public var dateOfBirth: String
    public var nhsNumber: String
    public var addressLine1: String
    public var town: String
    public var postcode: String
    public var created: String
    /// The Patient id of the person this record really is.
    public var personID: String

    public static let header = ["PERSON_REF", "FORENAME", "SURNAME", "GENDER", "DATE_OF_BIRTH", "NHS_NO", "ADDRESS_1", "TOWN",
                                "POSTCODE", "DATE_CREATED"]

    public var fields: [String] {
        [clientID, forename, surname, sex, dateOfBirth, nhsNumber, addressLine1, town, postcode, created]
    }
}
