import FHIR

/// The people of the area, household by household: ages and sexes from the pyramid, a
/// shared address and (mostly) a shared family name per household, a valid NHS number in
/// the 999 range, and registration with a GP practice. People are handed out one at a time
/// so memory stays flat whatever the size of the area.
struct Population {
    let parameters: AreaParameters
    let options: GeneratorOptions
    let practices: [(id: String, weight: Double)]
    /// The root of every person's own health stream.
    let healthStream: SeededGenerator

    func generate(_ generator: inout SeededGenerator, emit: (JSON) throws -> Void) throws {
        let conditions = LongTermConditions(conditions: parameters.health.conditions, start: options.start)
        let population = parameters.population
        let area = parameters.area
        var numbers = NHSNumberSequence(generator: &generator)
        let bandWeights = population.ageBands.map(\.weight)
        let practiceWeights = practices.map(\.weight)
        var person = 0
        var household = 0
        while person < options.people {
            household += 1
            let size = min(generator.weighted(population.householdSizes) + 1, options.people - person)
            let family = generator.pick(population.familyNames)
            let district = 1 + Int(generator.next() % UInt64(area.postcodeDistricts))
            let letters = Array("ABDEFGHJLNPQRSTUWXYZ")
            let postcode = "\(area.postcodeArea)\(district) \(generator.next() % 10)\(generator.pick(letters))\(generator.pick(letters))"
            let address: JSON = [[
                "use": "home",
                "line": [.string("\(1 + generator.next() % 180) \(generator.pick(area.streets))")],
                "city": .string(generator.pick(area.towns)),
                "postalCode": .string(postcode),
                "country": "GB",
            ]]
            let practice = practices[generator.weighted(practiceWeights)].id
            for _ in 0..<size {
                person += 1
                let band = population.ageBands[generator.weighted(bandWeights)]
                let female = generator.unit() < band.femaleShare
                let age = band.from + Int(generator.next() % UInt64(band.to - band.from + 1))
                // A birthday somewhere in the year before the age was reached.
                let days = Int64(Double(age) * 365.2425) + Int64(generator.next() % 365)
                let birth = FHIRInstant(millisecondsSince1970: options.start.millisecondsSince1970 - days * 86_400_000)
                let given = generator.pick(female ? population.femaleGivenNames : population.maleGivenNames)
                let surname = generator.unit() < 0.8 ? family : generator.pick(population.familyNames)
                let id = "p-\(pad(person, 7))"
                var patient: JSONObject = ["resourceType": "Patient", "id": .string(id)]
                if let number = numbers.next() {
                    patient["identifier"] = [["system": .string(AreaIdentifiers.nhsNumber), "value": .string(number)]]
                }
                patient["name"] = [["use": "official", "family": .string(surname), "given": [.string(given)]]]
                patient["gender"] = female ? "female" : "male"
                patient["birthDate"] = .string(String(birth.description.prefix(10)))
                patient["address"] = address
                patient["generalPractitioner"] = [["reference": .string("Organization/\(practice)")]]
                try emit(.object(patient))
                try conditions.forPerson(id: id, number: person, age: age, birth: birth, female: female,
                                         stream: healthStream, emit: emit)
            }
        }
    }
}
