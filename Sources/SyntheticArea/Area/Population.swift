import Foundation
import FHIR

/// The households of the area, one at a time so memory stays flat whatever the size: sizes,
/// ages and sexes from the pyramid, a shared address and (mostly) family name, 999-range NHS
/// numbers, a GP practice, long-term conditions, and over the period births, deaths, moves
/// within the area and households arriving and leaving.
struct Population {
    let parameters: AreaParameters
    let options: GeneratorOptions
    let practices: [(id: String, weight: Double)]
    /// The root of every person's own health stream (conditions and death).
    let healthStream: SeededGenerator
    /// Drawn from for every household and person, so worked out once.
    private let practiceWeights: [Double]
    private let bandWeights: [Double]

    init(parameters: AreaParameters, options: GeneratorOptions, practices: [(id: String, weight: Double)], healthStream: SeededGenerator) {
        self.parameters = parameters
        self.options = options
        self.practices = practices
        self.healthStream = healthStream
        practiceWeights = practices.map(\.weight)
        bandWeights = parameters.population.ageBands.map(\.weight)
    }

    private var start: Day { Day(options.start) }
    private var end: Day { start.adding(months: options.months) }
    private var years: Double { Double(end - start) / 365.25 }

    func generate(_ generator: inout SeededGenerator, emit: (Household) throws -> Void) throws {
        var numbers = NHSNumberSequence(generator: &generator)
        var person = 0
        var household = 0
        let demography = parameters.demography
        // People here at the start; `person` also counts births and arrivals, for their ids.
        var settled = 0
        while settled < options.people {
            household += 1
            let size = min(generator.weighted(parameters.population.householdSizes) + 1, options.people - settled)
            settled += size
            try emit(makeHousehold(household, size: size, arrives: nil, &generator, &numbers, &person))
            // Households moving in over the period, in proportion to those here at the start.
            for _ in 0..<generator.poisson(demography.householdsMovingInPerYear * years) {
                household += 1
                let arrives = start + generator.between(0, end - start - 1)
                let size = generator.weighted(parameters.population.householdSizes) + 1
                try emit(makeHousehold(household, size: size, arrives: arrives, &generator, &numbers, &person))
            }
        }
    }

    private func makeHousehold(_ number: Int, size: Int, arrives: Day?, _ generator: inout SeededGenerator,
                               _ numbers: inout NHSNumberSequence, _ person: inout Int) -> Household {
        let population = parameters.population
        let family = generator.pick(population.familyNames)
        var household = Household(number: number, addresses: [(address(&generator), arrives)],
                                  practice: practices[generator.weighted(practiceWeights)].id)
        household.arrives = arrives
        if arrives != nil { household.previousAddress = outOfAreaAddress(&generator) }
        let demography = parameters.demography
        let from = arrives ?? start
        if generator.chance(1 - exp(-demography.householdsMovingOutPerYear * years)) {
            let leaves = start + generator.between(0, end - start - 1)
            if leaves > from {
                household.leaves = leaves
                household.leavesTo = outOfAreaAddress(&generator)
            }
        }
        if generator.chance(1 - exp(-demography.householdsMovingWithinPerYear * years)) {
            let moves = start + generator.between(0, end - start - 1)
            if moves > from, moves < household.leaves ?? end { household.addresses.append((address(&generator), moves)) }
        }
        for _ in 0..<size {
            let band = population.ageBands[generator.weighted(bandWeights)]
            let female = generator.chance(band.femaleShare)
            let age = band.from + generator.between(0, band.to - band.from)
            // A birthday somewhere in the year before the age was reached.
            let birth = start - Int(Double(age) * 365.2425) - generator.between(1, 364)
            let given = generator.pick(female ? population.femaleGivenNames : population.maleGivenNames)
            let surname = generator.chance(0.8) ? family : generator.pick(population.familyNames)
            person += 1
            var resident = Resident(number: person, id: "p-\(pad(person, 7))", female: female, birth: birth, given: given,
                                    surname: surname, nhsNumber: numbers.next(), conditions: [], arrives: arrives, dies: nil)
            drawHealth(&resident)
            household.residents.append(resident)
        }
        addBirths(&household, &generator, &numbers, &person)
        return household
    }

    /// Babies born in the period to women of 15 to 44 in the household.
    private func addBirths(_ household: inout Household, _ generator: inout SeededGenerator,
                           _ numbers: inout NHSNumberSequence, _ person: inout Int) {
        let mothers = household.residents.filter { $0.female && (15...44).contains($0.age(on: start)) }
        for mother in mothers {
            for _ in 0..<generator.poisson(parameters.demography.birthsPerWomanAged15To44PerYear * years) {
                let born = start + generator.between(0, end - start - 1)
                guard born > (mother.arrives ?? start), born < (mother.dies ?? end), born < (household.leaves ?? end) else { continue }
                person += 1
                let female = generator.chance(0.488)
                let given = generator.pick(female ? parameters.population.femaleGivenNames : parameters.population.maleGivenNames)
                var baby = Resident(number: person, id: "p-\(pad(person, 7))", female: female, birth: born, given: given,
                                    surname: mother.surname, nhsNumber: numbers.next(), conditions: [], arrives: born, dies: nil)
                drawHealth(&baby)
                household.residents.append(baby)
            }
        }
    }

    /// Long-term conditions (as at the start, from the prevalences) and the day of death, from
    /// the person's own stream so that changing one part does not reshuffle the others.
    private func drawHealth(_ resident: inout Resident) {
        var generator = healthStream.derived(UInt64(resident.number))
        let age = resident.age(on: start)
        for (index, condition) in parameters.health.conditions.enumerated() {
            guard generator.unit() < condition.chance(age: age, female: resident.female) else { continue }
            // Onset some time since the youngest age the condition is counted from.
            let earliest = max(resident.birth, resident.birth + Int(Double(condition.prevalence.first?.from ?? 0) * 365.25))
            let onset = earliest + Int(generator.unit() * Double(max(1, start - earliest)))
            resident.conditions.append((index, min(onset, start)))
        }
        let frailty = 1 + parameters.activity.frailtyPerCondition * Double(resident.conditions.count)
        var month = resident.arrives ?? start
        while month < end {
            let next = min(month.adding(months: 1), end)
            let rate = parameters.demography.mortalityPerYear.value(at: resident.age(on: month)) * frailty
            if generator.chance(1 - exp(-rate * Double(next - month) / 365.25)) {
                resident.dies = month + generator.between(0, next - month - 1)
                return
            }
            month = next
        }
    }

    private func address(_ generator: inout SeededGenerator) -> Address {
        let area = parameters.area
        let district = 1 + Int(generator.next() % UInt64(area.postcodeDistricts))
        return Address(line: "\(1 + generator.next() % 180) \(generator.pick(area.streets))", city: generator.pick(area.towns),
                       postcode: "\(area.postcodeArea)\(district) \(postcodeUnit(&generator))")
    }

    private func outOfAreaAddress(_ generator: inout SeededGenerator) -> Address {
        let area = generator.pick(parameters.demography.otherAreas)
        return Address(line: "\(1 + generator.next() % 240) \(generator.pick(parameters.area.streets))", city: area.town,
                       postcode: "\(area.postcodeArea)\(generator.between(1, 30)) \(postcodeUnit(&generator))")
    }

    private func postcodeUnit(_ generator: inout SeededGenerator) -> String {
        let letters = Array("ABDEFGHJLNPQRSTUWXYZ")
        return "\(generator.next() % 10)\(generator.pick(letters))\(generator.pick(letters))"
    }
}
