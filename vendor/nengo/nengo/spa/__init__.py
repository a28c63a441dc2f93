from .actions import Actions
from .assoc_mem import AssociativeMemory
from .basalganglia import BasalGanglia
from .bind import Bind
from .buffer import Buffer
from .compare import Compare
from .cortical import Cortical
from .input import Input
from .memory import Memory
from .pointer import SemanticPointer
from .spa import SPA
from .state import State
from .thalamus import Thalamus
from .utils import enable_spa_params, similarity
from .vocab import Vocabulary
