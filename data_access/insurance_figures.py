"""Whether the insurance is worth it: premiums against claims paid, repair costs, rescue times, maintenance companies.

(Being written: see issue 16.)
"""

from __future__ import annotations
