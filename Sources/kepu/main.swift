print("kepu")
