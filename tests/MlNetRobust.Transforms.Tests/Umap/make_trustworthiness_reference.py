"""Reference values for TrustworthinessTests: sklearn.manifold.trustworthiness on deterministic data.

Run with Debian's python3-sklearn: /usr/bin/python3 make_trustworthiness_reference.py
The data formulas must match TrustworthinessTests.Input/Map.
"""
import math

import numpy as np
from sklearn.manifold import trustworthiness

n, dim = 40, 6
X = np.array([[math.sin(0.37 * i * (j + 1) + 0.11 * j) + 0.05 * j for j in range(dim)] for i in range(n)])
# A map that keeps some of X's structure and scrambles the rest.
Y = np.array([[X[i, 0] + 0.3 * math.cos(1.7 * i), X[i, 1] - 0.2 * math.sin(2.3 * i)] for i in range(n)])
for metric in ("euclidean", "cosine"):
    for k in (5, 10):
        print(metric, k, repr(trustworthiness(X, Y, n_neighbors=k, metric=metric)))
