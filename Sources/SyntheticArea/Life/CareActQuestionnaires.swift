import FHIR

/// The questionnaires the council's assessments answer: the Care Act assessment of an adult
/// (the ten outcomes of the Eligibility Regulations 2015, reg 2), the carer's assessment (reg 3)
/// and the financial assessment. Written once with the organisations so that every
/// QuestionnaireResponse points at a definition in the same area.
enum CareActQuestionnaires {
    static let careAct = AreaIdentifiers.careActAssessment

    static let adultOutcomes: [(linkId: String, text: String)] = [
        ("a", "Managing and maintaining nutrition"), ("b", "Maintaining personal hygiene"), ("c", "Managing toilet needs"),
        ("d", "Being appropriately clothed"), ("e", "Being able to make use of the home safely"),
        ("f", "Maintaining a habitable home environment"), ("g", "Developing and maintaining family or other personal relationships"),
        ("h", "Accessing and engaging in work, training, education or volunteering"),
        ("i", "Making use of necessary facilities or services in the local community"),
        ("j", "Carrying out any caring responsibilities for a child"),
    ]

    static let carerOutcomes: [(linkId: String, text: String)] = [
        ("a", "Carrying out any caring responsibilities for a child"), ("b", "Providing care to other persons"),
        ("c", "Maintaining a habitable home environment"), ("d", "Managing and maintaining nutrition"),
        ("e", "Developing and maintaining family or other personal relationships"),
        ("f", "Engaging in work, training, education or volunteering"),
        ("g", "Making use of necessary facilities or services in the local community"), ("h", "Engaging in recreational activities"),
    ]

    static func resources() -> [JSON] {
        let outcomeStatus = AreaIdentifiers.outcomeStatus
        let adult = adultOutcomes.map { outcome -> JSON in
            ["linkId": .string(outcome.linkId), "text": .string(outcome.text), "type": "choice",
             "answerOption": .array(["achieved", "unable-without-assistance", "significant-pain-distress-anxiety",
                                     "endangers-health-or-safety", "takes-significantly-longer", "not-applicable"]
                .map { ["valueCoding": FHIRBuild.coding(outcomeStatus, $0)] })]
        }
        let carer = carerOutcomes.map { outcome -> JSON in
            ["linkId": .string(outcome.linkId), "text": .string(outcome.text), "type": "boolean"]
        }
        func questionnaire(_ id: String, _ url: String, _ title: String, _ items: [JSON]) -> JSON {
            ["resourceType": "Questionnaire", "id": .string(id), "url": .string(url), "name": .string(id.replacingOccurrences(of: "-", with: "_")),
             "title": .string(title), "status": "active", "subjectType": ["Patient"], "item": .array(items)]
        }
        return [
            questionnaire("care-act-assessment", careAct, "Care Act assessment of an adult's needs", [
                ["linkId": "impairment", "text": "Needs arise from or relate to a physical or mental impairment or illness", "type": "boolean"],
                ["linkId": "outcomes", "text": "Outcomes", "type": "group", "item": .array(adult)],
                ["linkId": "wellbeing", "text": "Significant impact on well-being", "type": "boolean"],
                ["linkId": "eligible", "text": "Eligible needs", "type": "boolean"],
            ]),
            questionnaire("carers-assessment", AreaIdentifiers.carersAssessment, "Carer's assessment", [
                ["linkId": "cared-for", "text": "The adult cared for", "type": "reference"],
                ["linkId": "health-at-risk", "text": "The carer's physical or mental health is deteriorating or at risk", "type": "boolean"],
                ["linkId": "outcomes", "text": "Outcomes the carer can achieve", "type": "group", "item": .array(carer)],
                ["linkId": "eligible", "text": "Eligible needs", "type": "boolean"],
            ]),
            questionnaire("financial-assessment", AreaIdentifiers.financialAssessment, "Financial assessment for charging", [
                ["linkId": "capital-pence", "text": "Capital, in pence", "type": "integer"],
                ["linkId": "weekly-income-pence", "text": "Weekly income, in pence", "type": "integer"],
                ["linkId": "owns-home", "text": "Owns their home", "type": "boolean"],
                ["linkId": "property-value-pence", "text": "Value of the home, in pence", "type": "integer"],
                ["linkId": "home-occupied-by-qualifying-relative", "text": "Home still lived in by a partner, a relative 60 or over, or a child", "type": "boolean"],
                ["linkId": "disability-related-expenditure-pence", "text": "Weekly disability-related expenditure, in pence", "type": "integer"],
            ]),
        ]
    }
}
