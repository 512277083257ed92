print("joinedup")
