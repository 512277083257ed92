import FHIR
import Foundation

/// What makes a member of staff someone with a legitimate relationship with a person, as a
/// table in data (`StandardCareRelationships`, or `joinedup serve --relationships FILE`):
/// staff of the roles the access policy holds to relationships see a person's record only
/// while one of these rules joins them to the person (`VisibilityFilter`).
///
/// A rule names a resource type that records care (CareTeam, EpisodeOfCare, ServiceRequest,
/// Task, an Encounter in progress, the Patient's own registration), the reference parameter
/// that names the person (none: the resource is the Patient), the reference parameters that
/// name who gives the care, and the statuses in which it is open. Who the viewer is, in the
/// record: the Practitioners carrying their user id, the Organizations carrying their
/// organisation's code, and the standing teams (CareTeams about no one) either belongs to.
public struct CareRelationships: Sendable {
    public let version: String
    let userSystems: [String]
    let organisationSystems: [String]
    /// Statuses of a standing team that make its members a team.
    let teamStatuses: [String]
    let rules: [Rule]
    /// How long a break-glass grant lasts.
    public let breakGlassSeconds: Int
    /// This table, as the key of its SQL made for a store (`VisibilitySQL`): copies share it.
    let fingerprint = UUID()

    struct Rule: Sendable {
        let name: String
        let type: String
        /// The parameter naming the person; nil when the resource is the Patient.
        let patient: String?
        let members: [String]
        let status: String?
        let statuses: [String]
    }

    /// Parses and checks a table: every type an R4 type, every parameter one R4 defines for
    /// it and of the kind its place needs (references for the person and the members, a
    /// token for the status), a status list wherever a status parameter is named.
    public init(json: Data) throws(CareRelationshipsError) {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: json) } catch {
            throw CareRelationshipsError("the relationships are not JSON of the expected shape: \(error)")
        }
        guard !file.version.isEmpty else { throw CareRelationshipsError("the relationships need a version") }
        guard !file.identifiers.user.isEmpty, !file.identifiers.organisation.isEmpty else {
            throw CareRelationshipsError("identifiers.user and identifiers.organisation each need at least one system")
        }
        guard file.breakGlassMinutes > 0, file.breakGlassMinutes <= 24 * 60 else {
            throw CareRelationshipsError("breakGlassMinutes is between 1 and 1440")
        }
        var rules: [Rule] = []
        for (index, row) in file.relationships.enumerated() {
            let place = "relationships[\(index)]"
            guard FHIRDefinitions.r4.isResourceType(row.type) else {
                throw CareRelationshipsError("\(place): '\(row.type.prefix(64))' is not an R4 resource type")
            }
            if let patient = row.patient { try Self.check(patient, of: row.type, is: .reference, at: "\(place).patient") }
            guard row.patient != nil || row.type == "Patient" else {
                throw CareRelationshipsError("\(place): a rule on \(row.type) names the parameter that names the person (patient)")
            }
            guard !row.members.isEmpty else { throw CareRelationshipsError("\(place): a rule names at least one member parameter") }
            for member in row.members { try Self.check(member, of: row.type, is: .reference, at: "\(place).members") }
            if let status = row.status {
                try Self.check(status, of: row.type, is: .token, at: "\(place).status")
                guard let statuses = row.statuses, !statuses.isEmpty else {
                    throw CareRelationshipsError("\(place): a status parameter needs the statuses in which the relationship is open")
                }
            }
            rules.append(Rule(name: row.name, type: row.type, patient: row.patient, members: row.members,
                              status: row.status, statuses: row.status == nil ? [] : row.statuses ?? []))
        }
        guard !rules.isEmpty else { throw CareRelationshipsError("the table names no relationship") }
        version = file.version
        userSystems = file.identifiers.user
        organisationSystems = file.identifiers.organisation
        teamStatuses = file.teamStatuses
        self.rules = rules
        breakGlassSeconds = file.breakGlassMinutes * 60
    }

    /// The rules' names, in the table's order.
    public var ruleNames: [String] { rules.map(\.name) }

    /// The table in the file at `path`.
    public static func load(from path: String) throws(CareRelationshipsError) -> CareRelationships {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CareRelationshipsError("cannot read the relationships file \(path)")
        }
        return try CareRelationships(json: data)
    }

    /// The table JoinedUp ships with.
    public static let standard: CareRelationships = {
        do { return try CareRelationships(json: Data(StandardCareRelationships.json.utf8)) } catch {
            fatalError("the standard care relationships do not parse: \(error)")
        }
    }()

    /// The standard table's JSON, to start a deployment's own from.
    public static var standardJSON: String { StandardCareRelationships.json }

    private static func check(_ code: String, of type: String, is kind: SearchParameterType, at place: String) throws(CareRelationshipsError) {
        guard let parameter = FHIRSearchDefinitions.r4.parameter(code, of: type) else {
            throw CareRelationshipsError("\(place): \(type) has no search parameter '\(code.prefix(64))'")
        }
        guard parameter.type == kind else {
            throw CareRelationshipsError("\(place): \(type) '\(code)' is a \(parameter.type.rawValue) parameter, not a \(kind.rawValue)")
        }
    }

    private struct File: Decodable {
        let version: String
        let identifiers: Identifiers
        let teamStatuses: [String]
        let breakGlassMinutes: Int
        let relationships: [Row]
    }

    private struct Identifiers: Decodable {
        let user: [String]
        let organisation: [String]
    }

    private struct Row: Decodable {
        let name: String
        let type: String
        let patient: String?
        let members: [String]
        let status: String?
        let statuses: [String]?
    }
}

public struct CareRelationshipsError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
