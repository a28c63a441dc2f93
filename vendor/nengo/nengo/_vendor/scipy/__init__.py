from .sparse import expm
