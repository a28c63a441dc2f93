from .linalg_expm import expm
