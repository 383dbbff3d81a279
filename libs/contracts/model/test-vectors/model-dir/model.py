def predict(input):
    return input
