/// The default parameters, as the JSON a user copies and edits. Age bands approximate England
/// at the 2021 census (ONS, five-year bands; the female share rises with age); household
/// sizes approximate England's; provider counts and prices are typical of a unitary council
/// area in 2024-25; condition prevalences by age are rounded from the shapes seen in QOF
/// registers and national surveys. All are starting points for a believable area, not
/// statistics to quote.
enum DefaultAreaParameters {
    static let json = #"""
    {
      "about": "JoinedUp synthetic area parameters. Weights are relative; money is in pence; ranges are [lowest, highest].",
      "area": {
        "name": "Northby",
        "councilName": "Northby Council",
        "councilCode": "E06009999",
        "icbName": "NHS Northby and Dale Integrated Care Board",
        "icbCode": "QZZ",
        "acuteTrustName": "Northby Hospitals NHS Foundation Trust",
        "acuteTrustCode": "RZZ",
        "communityTrustName": "Northby Community and Mental Health NHS Trust",
        "communityTrustCode": "RZY",
        "postcodeArea": "NB",
        "postcodeDistricts": 12,
        "towns": ["Northby", "Eastfield", "Millbrook", "Westdale", "Kirkholme"],
        "streets": ["High Street", "Church Lane", "Station Road", "Mill Lane", "Victoria Road", "Park Avenue",
                    "The Green", "School Lane", "Queens Road", "Chapel Street", "Manor Way", "Orchard Close"]
      },
      "population": {
        "ageBands": [
          {"from": 0, "to": 4, "weight": 5.4, "femaleShare": 0.488},
          {"from": 5, "to": 9, "weight": 5.9, "femaleShare": 0.488},
          {"from": 10, "to": 14, "weight": 6.0, "femaleShare": 0.487},
          {"from": 15, "to": 19, "weight": 5.6, "femaleShare": 0.487},
          {"from": 20, "to": 24, "weight": 6.0, "femaleShare": 0.494},
          {"from": 25, "to": 29, "weight": 6.6, "femaleShare": 0.503},
          {"from": 30, "to": 34, "weight": 6.8, "femaleShare": 0.507},
          {"from": 35, "to": 39, "weight": 6.6, "femaleShare": 0.506},
          {"from": 40, "to": 44, "weight": 6.2, "femaleShare": 0.505},
          {"from": 45, "to": 49, "weight": 6.4, "femaleShare": 0.508},
          {"from": 50, "to": 54, "weight": 6.9, "femaleShare": 0.508},
          {"from": 55, "to": 59, "weight": 6.7, "femaleShare": 0.508},
          {"from": 60, "to": 64, "weight": 5.8, "femaleShare": 0.511},
          {"from": 65, "to": 69, "weight": 5.0, "femaleShare": 0.518},
          {"from": 70, "to": 74, "weight": 5.0, "femaleShare": 0.527},
          {"from": 75, "to": 79, "weight": 3.6, "femaleShare": 0.545},
          {"from": 80, "to": 84, "weight": 2.4, "femaleShare": 0.570},
          {"from": 85, "to": 89, "weight": 1.5, "femaleShare": 0.610},
          {"from": 90, "to": 104, "weight": 0.8, "femaleShare": 0.690}
        ],
        "householdSizes": [30.1, 34.0, 15.3, 13.1, 5.0, 2.5],
        "femaleGivenNames": ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Emily", "Sophie", "Jessica", "Sarah",
                             "Emma", "Laura", "Claire", "Karen", "Susan", "Margaret", "Patricia", "Joan", "Dorothy", "Mary",
                             "Aisha", "Fatima", "Priya", "Zainab", "Chloe", "Hannah", "Rebecca", "Lucy", "Elizabeth", "Jean"],
        "maleGivenNames": ["Oliver", "George", "Noah", "Arthur", "Harry", "Leo", "Jack", "Thomas", "James", "Daniel",
                           "David", "Paul", "Mark", "Andrew", "Richard", "John", "Peter", "Michael", "Robert", "William",
                           "Mohammed", "Ali", "Arjun", "Yusuf", "Liam", "Ryan", "Matthew", "Christopher", "Stephen", "Kenneth"],
        "familyNames": ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
                        "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
                        "Patel", "Khan", "Hussain", "Ali", "Begum", "Lewis", "Harris", "Clark", "Cooper", "King",
                        "Baker", "Turner", "Hill", "Ward", "Morris", "Moore", "Hughes", "Edwards", "Lee", "Martin"]
      },
      "providers": {
        "peoplePerGPPractice": 9500,
        "residentialHomesPer100k": 14,
        "nursingHomesPer100k": 8,
        "homeCareProvidersPer100k": 18,
        "careHomeBeds": [12, 90],
        "residentialWeeklyPricePence": [85000, 140000],
        "nursingWeeklyPricePence": [110000, 180000],
        "homeCareHourlyRatePence": [2300, 3200]
      },
      "health": {
        "conditions": [
          {"name": "hypertension", "snomed": "38341003", "display": "Hypertensive disorder", "maleFactor": 1.1,
           "prevalence": [{"from": 18, "to": 39, "share": 0.02}, {"from": 40, "to": 59, "share": 0.15},
                          {"from": 60, "to": 79, "share": 0.40}, {"from": 80, "to": 120, "share": 0.55}]},
          {"name": "type 2 diabetes", "snomed": "44054006", "display": "Type 2 diabetes mellitus", "maleFactor": 1.3,
           "prevalence": [{"from": 18, "to": 39, "share": 0.01}, {"from": 40, "to": 59, "share": 0.07},
                          {"from": 60, "to": 79, "share": 0.15}, {"from": 80, "to": 120, "share": 0.16}]},
          {"name": "COPD", "snomed": "13645005", "display": "Chronic obstructive lung disease", "maleFactor": 1.1,
           "prevalence": [{"from": 35, "to": 59, "share": 0.02}, {"from": 60, "to": 79, "share": 0.06},
                          {"from": 80, "to": 120, "share": 0.09}]},
          {"name": "heart failure", "snomed": "84114007", "display": "Heart failure", "maleFactor": 1.3,
           "prevalence": [{"from": 40, "to": 59, "share": 0.004}, {"from": 60, "to": 79, "share": 0.02},
                          {"from": 80, "to": 120, "share": 0.08}]},
          {"name": "atrial fibrillation", "snomed": "49436004", "display": "Atrial fibrillation", "maleFactor": 1.4,
           "prevalence": [{"from": 40, "to": 59, "share": 0.004}, {"from": 60, "to": 79, "share": 0.04},
                          {"from": 80, "to": 120, "share": 0.12}]},
          {"name": "dementia", "snomed": "52448006", "display": "Dementia", "maleFactor": 0.8,
           "prevalence": [{"from": 60, "to": 79, "share": 0.015}, {"from": 80, "to": 89, "share": 0.10},
                          {"from": 90, "to": 120, "share": 0.25}]},
          {"name": "chronic kidney disease", "snomed": "709044004", "display": "Chronic kidney disease", "maleFactor": 0.9,
           "prevalence": [{"from": 18, "to": 39, "share": 0.002}, {"from": 40, "to": 59, "share": 0.02},
                          {"from": 60, "to": 79, "share": 0.08}, {"from": 80, "to": 120, "share": 0.25}]},
          {"name": "asthma", "snomed": "195967001", "display": "Asthma", "maleFactor": 0.9,
           "prevalence": [{"from": 5, "to": 120, "share": 0.065}]},
          {"name": "osteoarthritis", "snomed": "396275006", "display": "Osteoarthritis", "maleFactor": 0.7,
           "prevalence": [{"from": 40, "to": 59, "share": 0.08}, {"from": 60, "to": 79, "share": 0.20},
                          {"from": 80, "to": 120, "share": 0.30}]},
          {"name": "depression", "snomed": "35489007", "display": "Depressive disorder", "maleFactor": 0.6,
           "prevalence": [{"from": 18, "to": 120, "share": 0.14}]}
        ]
      }
    }
    """#
}
