"""The task pages of the outgoing-letter flow that the web layer renders itself, like the
lembar disposisi: a paraf, a signature or a revision writes rows (versions, paraf records,
the number) that a generic form could not."""

from __future__ import annotations

OUTGOING_PROCESS = "naskah_keluar"
PARAF_FORM = "lontar.paraf"
SIGN_FORM = "lontar.tandatangan"
REVISE_FORM = "lontar.perbaiki"
DISPATCH_FORM = "lontar.ekspedisi"
OUTGOING_FORMS = frozenset({PARAF_FORM, SIGN_FORM, REVISE_FORM, DISPATCH_FORM})

# Data names the diagram and the engine share.
CHAIN = "rantai"  # the computed paraf chain: position ids, in order
REVIEWER = "pemeriksa"  # the multi-instance input item: one position id of the chain
REVIEW_RESULT = "paraf_pemeriksa"  # the multi-instance output item: paraf | kembalikan | revisi
REVIEW_RESULTS = "hasil_paraf"  # the output collection; emptied before a new round
DECISION = "keputusan"  # a single (non multi-instance) step's decision
SIGNER = "penandatangan"  # position id of the chosen signer
HAS_EXTERNAL = "ada_eksternal"  # whether ekspedisi is needed after signing
