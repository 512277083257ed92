/// The fixed lists the search benchmark's population draws from: names, places and the codes
/// of a Synthea-like record (SNOMED CT, LOINC with UCUM units). The organisations are
/// fictional; the codes are real.
enum BenchTables {
    // MARK: Names

    /// Family names roughly in order of frequency in England and Wales, drawn with Zipf-like
    /// weights (`familyWeights`): at 100,000 people the commonest is held by about 1,350 and
    /// the rarest by about 115, so a name search finds a hundred or more (and prefix matching,
    /// FHIR's default for strings, adds the Brooks to Brook and the Woods to Wood).
    static let familyNames: [String] = unique([
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
        "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
        "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
        "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
        "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths",
        "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy",
        "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh",
        "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali",
        "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight",
        "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
        "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart",
        "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West",
        "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien",
        "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells", "Armstrong", "Francis", "Rees",
        "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster", "Hunter", "Gregory", "Carr", "Lowe",
        "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons", "Berry", "Stone", "Reid", "Holland",
        "Hawkins", "Harding", "Porter", "Robertson", "Newton", "Oliver", "Reed", "Kennedy", "Williamson", "Bird",
        "Gardner", "Shah", "Dean", "Lane", "Cooke", "Bates", "Henderson", "Parry", "Burgess", "Bishop",
        "Walton", "Burns", "Nicholson", "Shepherd", "Ross", "Cross", "Long", "Freeman", "Warren", "Nicholls",
        "Hamilton", "Byrne", "Sutton", "McDonald", "Yates", "Hodgson", "Robson", "Curtis", "Hopkins", "O'Connor",
        "Harper", "Coleman", "Watkins", "Moss", "McCarthy", "Chambers", "O'Neill", "Griffin", "Sharp", "Hardy",
        "Wheeler", "Potter", "Osborne", "Johnston", "Gordon", "Doyle", "Wallace", "George", "Jordan", "Hutchinson",
        "Rowe", "Burke", "May", "Pritchard", "Gilbert", "Willis", "Higgins", "Read", "Miah", "Stephens",
        "Arnold", "Peters", "Fraser", "Davidson", "Nowak", "Kowalski", "Nguyen", "Chen", "Wang", "Okafor",
        "Adeyemi", "Mensah", "Rahman", "Islam", "Uddin", "Mahmood", "Iqbal", "Akhtar", "Malik", "Sharma",
        "Kumar", "Mistry", "Chauhan", "Joshi", "Parmar", "Desai", "Mohamed", "Abdi", "Osman", "Yilmaz",
        "Quinn", "Doherty", "Gallagher", "Kavanagh", "Lynch", "Brennan", "Fitzgerald", "Sweeney", "Hogan", "McBride",
        "Fleming", "Sinclair", "Buchanan", "Cameron", "Duncan", "Ferguson", "Kerr", "Lindsay", "Munro", "Paterson",
        "Ritchie", "Stirling", "Wylie", "Blackwood", "Thornton", "Whitehead", "Ashworth", "Haigh", "Sykes", "Crowther",
        "Lister", "Hirst", "Greenwood", "Firth", "Pickles", "Ackroyd", "Barraclough", "Brook", "Illingworth", "Holroyd",
        "Sugden", "Dyson", "Wadsworth", "Horsfall", "Rushworth", "Shackleton", "Sutcliffe", "Hargreaves", "Butterworth", "Ormerod",
        "Kershaw", "Pilling", "Wisniewski", "Lewandowski", "Popescu", "Silva", "Santos", "Rossi", "Kowalczyk", "Novak",
    ])
    static let familyWeights = BenchRandom.cumulative(familyNames.indices.map { 1.0 / Double($0 + 30) })

    static let femaleGivenNames = [
        "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Emily", "Sophie", "Jessica", "Sarah",
        "Emma", "Laura", "Claire", "Karen", "Susan", "Margaret", "Patricia", "Joan", "Dorothy", "Mary",
        "Aisha", "Fatima", "Priya", "Zainab", "Chloe", "Hannah", "Rebecca", "Lucy", "Elizabeth", "Jean",
        "Freya", "Lily", "Poppy", "Evie", "Ella", "Charlotte", "Florence", "Ivy", "Rosie", "Willow",
        "Helen", "Julie", "Nicola", "Joanne", "Lisa", "Angela", "Pauline", "Brenda", "Barbara", "Irene",
        "Maryam", "Ayesha", "Anya", "Zofia", "Maja", "Niamh", "Siobhan", "Kirsty", "Gemma", "Hayley",
    ]
    static let maleGivenNames = [
        "Oliver", "George", "Noah", "Arthur", "Harry", "Leo", "Jack", "Thomas", "James", "Daniel",
        "David", "Paul", "Mark", "Andrew", "Richard", "John", "Peter", "Michael", "Robert", "William",
        "Mohammed", "Ali", "Arjun", "Yusuf", "Liam", "Ryan", "Matthew", "Christopher", "Stephen", "Kenneth",
        "Muhammad", "Oscar", "Charlie", "Freddie", "Alfie", "Theo", "Archie", "Henry", "Joshua", "Samuel",
        "Gary", "Darren", "Lee", "Wayne", "Stuart", "Graham", "Brian", "Derek", "Ronald", "Albert",
        "Ibrahim", "Hamza", "Rohan", "Jakub", "Piotr", "Sean", "Connor", "Callum", "Ewan", "Dylan",
    ]

    // MARK: Places

    /// Town, postcode area and how many districts it has.
    static let towns: [(name: String, area: String, districts: Int)] = [
        ("Leeds", "LS", 29), ("Bradford", "BD", 24), ("Wakefield", "WF", 17), ("Huddersfield", "HD", 9),
        ("Harrogate", "HG", 5), ("Halifax", "HX", 7),
    ]
    static let streets = [
        "High Street", "Station Road", "Church Lane", "Mill Lane", "Victoria Road", "Park Avenue", "Main Street",
        "Manor Road", "Green Lane", "Moor Lane", "School Lane", "The Crescent", "Queens Road", "Kings Road",
        "Albert Street", "Springfield Road", "Chapel Street", "Westfield Drive", "Oak Avenue", "Beech Grove",
        "Meadow Way", "Wharf Street", "Canal Road", "Hillside Close", "Richmond Terrace", "Grange Road",
        "Woodland View", "Cliffe Lane", "Heath Road", "Ings Lane",
    ]
    /// Letters used in the inward part of a postcode.
    static let postcodeLetters = Array("ABDEFGHJLNPQRSTUWXYZ").map(String.init)

    // MARK: Organisations (fictional)

    /// Three hospital trusts then twelve GP practices, with ODS-like codes of their own.
    static let organisations: [(name: String, ods: String, kind: OrganisationKind)] = [
        ("Aire Valley Teaching Hospitals NHS Trust", "ZB1", .trust),
        ("Calder and Pennine Hospitals NHS Foundation Trust", "ZB2", .trust),
        ("Wharfedale Community Health NHS Trust", "ZB3", .trust),
        ("Oakwood Surgery", "Z90001", .practice), ("Meanwood Health Centre", "Z90002", .practice),
        ("Kirkgate Medical Practice", "Z90003", .practice), ("Shipley Lane Surgery", "Z90004", .practice),
        ("Riverside Medical Centre", "Z90005", .practice), ("Holme Valley Practice", "Z90006", .practice),
        ("Chapel Allerton Surgery", "Z90007", .practice), ("Moorside Family Practice", "Z90008", .practice),
        ("Westgate Health Centre", "Z90009", .practice), ("Hillcrest Surgery", "Z90010", .practice),
        ("Canal Side Medical Practice", "Z90011", .practice), ("Greenhead Surgery", "Z90012", .practice),
    ]
    enum OrganisationKind { case trust, practice }
    static let trustCount = 3
    static var practiceCount: Int { organisations.count - trustCount }
    /// Practitioner `p` works for organisation `p % organisations.count`.
    static let practitionerCount = 240

    // MARK: Encounters

    struct EncounterKind {
        let classCode: String
        let classDisplay: String
        /// SNOMED CT code and display of the encounter type.
        let types: [(code: String, display: String)]
        let weight: Double
        /// Minutes from start to end.
        let length: ClosedRange<Int>
        let inHospital: Bool
    }
    static let encounterKinds = [
        EncounterKind(classCode: "AMB", classDisplay: "ambulatory",
                      types: [("185349003", "Encounter for check up"), ("185347001", "Encounter for problem"),
                              ("390906007", "Follow-up encounter"), ("698314001", "Consultation for treatment")],
                      weight: 0.70, length: 10...30, inHospital: false),
        EncounterKind(classCode: "VR", classDisplay: "virtual",
                      types: [("185317003", "Telephone encounter")], weight: 0.08, length: 5...15, inHospital: false),
        EncounterKind(classCode: "EMER", classDisplay: "emergency",
                      types: [("50849002", "Emergency room admission"), ("4525004", "Emergency department patient visit")],
                      weight: 0.14, length: 90...480, inHospital: true),
        EncounterKind(classCode: "IMP", classDisplay: "inpatient encounter",
                      types: [("183452005", "Emergency hospital admission"), ("32485007", "Hospital admission")],
                      weight: 0.08, length: 1440...14400, inHospital: true),
    ]
    static let encounterWeights = BenchRandom.cumulative(encounterKinds.map(\.weight))

    // MARK: Conditions

    struct ConditionKind {
        let code: String
        let display: String
        let chronic: Bool
        let weight: Double
    }
    static let conditionKinds = [
        ConditionKind(code: "38341003", display: "Hypertensive disorder", chronic: true, weight: 12),
        ConditionKind(code: "44054006", display: "Type 2 diabetes mellitus", chronic: true, weight: 6),
        ConditionKind(code: "55822004", display: "Hyperlipidemia", chronic: true, weight: 6),
        ConditionKind(code: "195967001", display: "Asthma", chronic: true, weight: 5),
        ConditionKind(code: "13645005", display: "Chronic obstructive lung disease", chronic: true, weight: 3),
        ConditionKind(code: "49436004", display: "Atrial fibrillation", chronic: true, weight: 2),
        ConditionKind(code: "84114007", display: "Heart failure", chronic: true, weight: 1.5),
        ConditionKind(code: "709044004", display: "Chronic kidney disease", chronic: true, weight: 2),
        ConditionKind(code: "35489007", display: "Depressive disorder", chronic: true, weight: 5),
        ConditionKind(code: "396275006", display: "Osteoarthritis", chronic: true, weight: 5),
        ConditionKind(code: "69896004", display: "Rheumatoid arthritis", chronic: true, weight: 0.8),
        ConditionKind(code: "26929004", display: "Alzheimer's disease", chronic: true, weight: 0.7),
        ConditionKind(code: "230690007", display: "Cerebrovascular accident", chronic: true, weight: 0.8),
        ConditionKind(code: "22298006", display: "Myocardial infarction", chronic: true, weight: 0.8),
        ConditionKind(code: "15777000", display: "Prediabetes", chronic: true, weight: 4),
        ConditionKind(code: "162864005", display: "Body mass index 30+ - obesity", chronic: true, weight: 5),
        ConditionKind(code: "271737000", display: "Anemia", chronic: true, weight: 2),
        ConditionKind(code: "10509002", display: "Acute bronchitis", chronic: false, weight: 8),
        ConditionKind(code: "444814009", display: "Viral sinusitis", chronic: false, weight: 10),
        ConditionKind(code: "68566005", display: "Urinary tract infectious disease", chronic: false, weight: 5),
        ConditionKind(code: "43878008", display: "Streptococcal sore throat", chronic: false, weight: 4),
        ConditionKind(code: "65363002", display: "Otitis media", chronic: false, weight: 3),
        ConditionKind(code: "62106007", display: "Concussion with no loss of consciousness", chronic: false, weight: 1),
        ConditionKind(code: "263102004", display: "Fracture subluxation of wrist", chronic: false, weight: 0.6),
    ]
    static let conditionWeights = BenchRandom.cumulative(conditionKinds.map(\.weight))

    // MARK: Observations

    enum ObservationCategory: String {
        case vitalSigns = "vital-signs"
        case laboratory

        var display: String { self == .vitalSigns ? "Vital Signs" : "Laboratory" }
    }

    struct ObservationKind {
        let code: String
        let display: String
        let category: ObservationCategory
        /// UCUM unit code.
        let unit: String
        /// In tenths when `decimal`, else whole numbers.
        let range: ClosedRange<Int>
        let decimal: Bool
        let weight: Double
    }
    /// Blood pressure (85354-9) is made with systolic and diastolic components instead of a value.
    static let bloodPressure = ObservationKind(code: "85354-9", display: "Blood pressure panel with all children optional",
                                              category: .vitalSigns, unit: "mm[Hg]", range: 0...0, decimal: false, weight: 4)
    static let systolic = ObservationKind(code: "8480-6", display: "Systolic blood pressure", category: .vitalSigns,
                                         unit: "mm[Hg]", range: 100...175, decimal: false, weight: 0)
    static let diastolic = ObservationKind(code: "8462-4", display: "Diastolic blood pressure", category: .vitalSigns,
                                          unit: "mm[Hg]", range: 55...105, decimal: false, weight: 0)
    static let observationKinds = [
        bloodPressure,
        ObservationKind(code: "8867-4", display: "Heart rate", category: .vitalSigns, unit: "/min", range: 48...115, decimal: false, weight: 4),
        ObservationKind(code: "9279-1", display: "Respiratory rate", category: .vitalSigns, unit: "/min", range: 11...24, decimal: false, weight: 2),
        ObservationKind(code: "8310-5", display: "Body temperature", category: .vitalSigns, unit: "Cel", range: 358...388, decimal: true, weight: 2),
        ObservationKind(code: "29463-7", display: "Body weight", category: .vitalSigns, unit: "kg", range: 420...1250, decimal: true, weight: 3),
        ObservationKind(code: "8302-2", display: "Body height", category: .vitalSigns, unit: "cm", range: 1480...1960, decimal: true, weight: 1),
        ObservationKind(code: "39156-5", display: "Body mass index (BMI) [Ratio]", category: .vitalSigns, unit: "kg/m2", range: 175...420, decimal: true, weight: 2),
        ObservationKind(code: "59408-5", display: "Oxygen saturation in Arterial blood by Pulse oximetry", category: .vitalSigns, unit: "%", range: 89...100, decimal: false, weight: 2),
        ObservationKind(code: "4548-4", display: "Hemoglobin A1c/Hemoglobin.total in Blood", category: .laboratory, unit: "%", range: 45...110, decimal: true, weight: 1),
        ObservationKind(code: "15074-8", display: "Glucose [Moles/volume] in Blood", category: .laboratory, unit: "mmol/L", range: 35...140, decimal: true, weight: 1),
        ObservationKind(code: "14647-2", display: "Cholesterol [Moles/volume] in Serum or Plasma", category: .laboratory, unit: "mmol/L", range: 30...80, decimal: true, weight: 1),
        ObservationKind(code: "14682-9", display: "Creatinine [Moles/volume] in Serum or Plasma", category: .laboratory, unit: "umol/L", range: 45...180, decimal: false, weight: 1),
        ObservationKind(code: "33914-3", display: "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)", category: .laboratory, unit: "mL/min/{1.73_m2}", range: 25...120, decimal: false, weight: 1),
        ObservationKind(code: "718-7", display: "Hemoglobin [Mass/volume] in Blood", category: .laboratory, unit: "g/L", range: 95...175, decimal: false, weight: 1),
        ObservationKind(code: "6690-2", display: "Leukocytes [#/volume] in Blood by Automated count", category: .laboratory, unit: "10*3/uL", range: 35...125, decimal: true, weight: 1),
        ObservationKind(code: "2823-3", display: "Potassium [Moles/volume] in Serum or Plasma", category: .laboratory, unit: "mmol/L", range: 33...58, decimal: true, weight: 1),
        ObservationKind(code: "2951-2", display: "Sodium [Moles/volume] in Serum or Plasma", category: .laboratory, unit: "mmol/L", range: 131...148, decimal: false, weight: 1),
        ObservationKind(code: "1988-5", display: "C reactive protein [Mass/volume] in Serum or Plasma", category: .laboratory, unit: "mg/L", range: 1...120, decimal: false, weight: 0.3),
        ObservationKind(code: "2532-0", display: "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma", category: .laboratory, unit: "U/L", range: 120...400, decimal: false, weight: 0.1),
    ]
    static let observationWeights = BenchRandom.cumulative(observationKinds.map(\.weight))

    // MARK: Medicines, care plans, care teams

    /// SNOMED CT substances (as dm+d's virtual therapeutic moieties name them) and a dose.
    static let medicines: [(code: String, display: String, dosage: String)] = [
        ("386864001", "Amlodipine", "5 mg once a day"), ("386872004", "Ramipril", "2.5 mg once a day"),
        ("373444002", "Atorvastatin", "20 mg at night"), ("372567009", "Metformin", "500 mg twice a day"),
        ("387517004", "Paracetamol", "1 g up to four times a day"), ("387137007", "Omeprazole", "20 mg once a day"),
        ("372897005", "Salbutamol", "2 puffs when required"), ("387458008", "Aspirin", "75 mg once a day"),
        ("387584000", "Simvastatin", "40 mg at night"), ("386873009", "Lisinopril", "10 mg once a day"),
        ("372594008", "Sertraline", "50 mg once a day"), ("372756006", "Warfarin", "as directed by the anticoagulation clinic"),
        ("372687004", "Amoxicillin", "500 mg three times a day for 5 days"), ("386868003", "Bisoprolol", "2.5 mg once a day"),
    ]
    static let carePlanCategories: [(code: String, display: String, activities: [(code: String, display: String)])] = [
        ("698360004", "Diabetes self management plan",
         [("160670007", "Diabetic diet"), ("229065009", "Exercise therapy")]),
        ("735984001", "Heart failure self management plan",
         [("443402002", "Lifestyle education regarding hypertension"), ("229065009", "Exercise therapy")]),
        ("412776001", "Chronic obstructive pulmonary disease clinical management plan",
         [("710081004", "Smoking cessation therapy"), ("426990007", "Home oxygen therapy")]),
        ("734163000", "Care plan", [("386463000", "Prescribed activity/exercise education"), ("410289001", "Exercise physiology")]),
        ("736285004", "Hyperlipidemia clinical management plan",
         [("409051000", "Nutrition education"), ("229065009", "Exercise therapy")]),
    ]
    static let careTeamRoles: [(code: String, display: String)] = [
        ("62247001", "General practitioner"), ("224535009", "Registered nurse"), ("309343006", "Physician"),
        ("159141008", "Dietitian"), ("46255001", "Pharmacist"),
    ]

    // MARK: Systems

    static let nhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number"
    static let mrnSystem = "https://fhir.joinedup.org.uk/Id/bench-mrn"
    static let visitNumberSystem = "https://fhir.joinedup.org.uk/Id/bench-visit-number"
    static let odsSystem = "https://fhir.nhs.uk/Id/ods-organization-code"
    static let gmcSystem = "https://fhir.hl7.org.uk/Id/gmc-number"
    static let snomed = "http://snomed.info/sct"
    static let loinc = "http://loinc.org"
    static let ucum = "http://unitsofmeasure.org"

    /// The list in its order with later repeats dropped.
    private static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
