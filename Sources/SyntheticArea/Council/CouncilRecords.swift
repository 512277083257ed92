/// Makes the council's client records for the people it knows: one each (sometimes a
/// duplicate), with the errors and omissions the parameters ask for.
struct CouncilRecords {
    let parameters: AreaParameters
    let stream: SeededGenerator
    private(set) var issued = 0

    init(parameters: AreaParameters, stream: SeededGenerator) {
        self.parameters = parameters
        self.stream = stream
    }

    mutating func records(for resident: Resident, in household: Household, knownFrom day: Day) -> [CouncilClientRecord] {
        var generator = stream.derived(UInt64(resident.number))
        let settings = parameters.councilRecords
        var records = [record(resident, household, created: day, &generator)]
        if generator.chance(settings.duplicateRecord) {
            // A second record, opened later by someone who did not find the first.
            records.append(record(resident, household, created: day + generator.between(30, 400), &generator))
        }
        return records
    }

    private mutating func record(_ resident: Resident, _ household: Household, created: Day,
                                 _ generator: inout SeededGenerator) -> CouncilClientRecord {
        let settings = parameters.councilRecords
        issued += 1
        // A bijection on seven digits (7,654,321 is coprime with 10^7), so ids look arbitrary but never collide.
        let number = (issued * 7_654_321 + 1_234_567) % 10_000_000
        var forename = resident.given
        if generator.chance(settings.nickname), let short = settings.nicknames[forename], !short.isEmpty {
            forename = generator.pick(short)
        }
        if generator.chance(settings.forenameTypo) { forename = RecordErrors.typo(forename, &generator) }
        var surname = resident.surname
        if generator.chance(settings.surnameTypo) { surname = RecordErrors.typo(surname, &generator) }
        var birth = resident.birth.civil
        if generator.chance(settings.dayMonthSwapped), let swapped = RecordErrors.swapDayAndMonth(birth) { birth = swapped }
        if generator.chance(settings.dateOfBirthTypo) { birth = RecordErrors.dateTypo(birth, &generator) }
        let dateOfBirth = generator.chance(settings.missingDateOfBirth) ? ""
            : "\(pad(birth.day, 2))/\(pad(birth.month, 2))/\(pad(birth.year, 4))"
        var nhsNumber = ""
        if let number = resident.nhsNumber, generator.chance(settings.nhsNumberRecorded) {
            nhsNumber = generator.chance(settings.nhsNumberSpaced)
                ? "\(number.prefix(3)) \(number.dropFirst(3).prefix(3)) \(number.suffix(4))" : number
        }
        // The address on the day the record was opened; moves after it are not caught up with.
        var address = household.address(on: created)
        if generator.chance(settings.staleAddress) {
            address = household.addressBefore(created) ?? Address(
                line: "\(generator.between(1, 180)) \(generator.pick(parameters.area.streets))", city: generator.pick(parameters.area.towns),
                postcode: address.postcode)
        }
        let sex = generator.chance(settings.missingSex) ? "" : resident.female ? "Female" : "Male"
        return CouncilClientRecord(clientID: "\(settings.clientIdPrefix)\(pad(number, 7))", forename: forename, surname: surname, sex: sex,
                                   dateOfBirth: dateOfBirth, nhsNumber: nhsNumber, addressLine1: address.line, town: address.city,
                                   postcode: generator.chance(settings.missingPostcode) ? "" : address.postcode,
                                   created: created.britishDate, personID: resident.id)
    }
}
