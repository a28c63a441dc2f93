from .actionselection import BasalGanglia, Thalamus
from .assoc_mem import AssociativeMemory
from .circularconvolution import CircularConvolution
from .ensemblearray import EnsembleArray
from .product import Product
from .workingmemory import InputGatedMemory
