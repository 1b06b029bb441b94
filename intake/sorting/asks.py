"""What a message asks the paper for, or sells it: the signs that it is not a letter.

A letter addresses the paper for publication and argues with, adds to or
corrects something published or public.  Mail that asks the paper for
something — a link, a job, delivery or a subscription, coverage, publication
of an attached piece, a correction, how to send a letter — or sells something
is not a letter, whatever its salutation and however it cites our articles.
Each sign carries a weight and a sentence an editor can read; the reader's
own words only (the caller passes them, quotes and forwards cut).

Pure: no I/O.  Every pattern is a plain alternation of bounded words, linear
in its input, and reads at most the first 20,000 characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intake.sorting.needles import Gated, folded

_I = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class _Ask:
    weight: float
    what: str  # what is asked for, as an editor reads it
    pattern: Gated  # searched only where the words it needs are (intake.sorting.needles)


def _ask(weight: float, what: str, *patterns: str) -> _Ask:
    return _Ask(weight, what, Gated.of(re.compile("|".join(patterns), _I)))


_ASKS: tuple[_Ask, ...] = (
    _ask(
        4.0,
        "asks us to add a link",
        r"\b(?:add|adding|include|including|insert)\s+(?:\w+\s+){0,2}?(?:links?|backlinks?)\b",
        r"\blink(?:ing)?\s+(?:back\s+)?to\s+(?:it|our|my|them)\b",
        r"\bturn\s+it\s+into\s+a\s+link\b|\bdo-?follow\b|\bbacklinks?\b",
        r"\b(?:valuable|useful|helpful|great|additional|nice)\s+(?:addition|resource)\b",
        r"\bcontextual\s+link\b|\bguest\s+(?:post|article)\b",
        r"\b(?:mention|feature|cite|reference)\s+(?:it|us|our\s+\w+)\s+in\s+(?:the|your)\s+"
        r"(?:piece|article|story|post)\b|\bpoint\s+(?:your\s+)?readers\s+to\b",
        r"\breturn\s+the\s+favou?r\b|\boutreach\s+(?:manager|specialist|coordinator|team)\b",
        r"\b(?:in-depth|comprehensive|ultimate|complete)\s+guide\s+to\b",
    ),
    _ask(
        4.0,
        "applies for a job",
        r"\bi\s+(?:am|'m|’m)\s+(?:writing\s+to\s+|excited\s+to\s+)?apply(?:ing)?\b",
        r"\bto\s+apply\s+for\s+(?:the|a|an|your)\b|\b(?:apply|applying)\s+to\s+write\b",
        r"\b(?:love|like)\s+to\s+(?:apply|intern)\b|\binternships?\b|\bdear\s+hiring\b",
        r"\bplease\s+(?:accept|consider)\s+(?:my\s+application|me\s+for)\b",
        r"\b(?:my|the\s+attached)\s+(?:résumé|resume|cv|portfolio|clips|writing\s+samples)\b",
        r"\b(?:résumé|resume|cv|portfolio)\s+(?:and\s+\w+\s+)?(?:is|are)\s+(?:attached|at)\b",
        r"\bhiring\s+(?:editor|manager)\b|\bsaw\s+your\s+ad\b",
        r"\b(?:shoot|take)\s+assignments\b|\bfreelance\s+rate\b|\brates\s+are\s+negotiable\b",
        r"\bconsidered\s+for\s+(?:the|your|a|an)\s+(?:\w+\s+){0,3}?(?:fellowship|internship|"
        r"position|role|job|post|opening|apprenticeship|traineeship)\b",
        r"\b(?:enclosed|attached|included)\s+(?:are\s+)?(?:\w+\s+){0,2}(?:clips|writing\s+"
        r"samples|résumé|resume|cv)\b|\bcan\s+start\s+(?:in|on|immediately|next)\b",
        r"\b(?:love|like|glad|happy)\s+to\s+be\s+considered\b|\bstringers?\b",
    ),
    _ask(
        3.0,
        "asks about delivery or a subscription",
        r"\bmy\s+(?:sunday\s+|daily\s+|morning\s+)?(?:paper|newspaper)\s+(?:has|had|was|is|"
        r"came|comes|arrives?|arrived|ended|used)\b",
        r"\b(?:hold|deliver|redirect)\s+(?:my|our)\s+paper\b|\bthe\s+carrier\b",
        r"\b(?:digital|print)\s+(?:subscription|edition|access)\b",
        r"\b(?:student|senior|gift)\s+(?:rate|subscription)\b|\brenewal\s+(?:notice|price)\b",
        r"\bcredit\s+(?:my|the)\s+account\b|\bmissing\s+(?:papers|sections?)\b",
        r"\bchange\s+of\s+address\b|\bthe\s+new\s+address\b|\bdeath\s+notice\b",
        r"\bhow\s+(?:do|can)\s+i\s+(?:pay|place|subscribe|sign|link|get)\b",
        r"\bplease\s+cancel\b|\bcharged\s+(?:twice|\$)",
        r"\b(?:buy|order|get|send\s+me)\s+(?:\w+\s+)?(?:copies|back\s+issues?)\b",
        r"\b(?:used|reached)\s+(?:up\s+)?my\s+free\s+articles\b|\bhow\s+do\s+i\s+get\s+in\b",
        r"\bwhere\s+can\s+i\s+(?:buy|get|find)\s+(?:a|\w+)\s+cop(?:y|ies)\b",
        r"\b(?:pay|paying|paid)\s+for\s+(?:home\s+)?delivery\b|\bmy\s+home\s+delivery\b|\b(?:the|my)\s+"
        r"paper\s+(?:has\s+been|keeps|kept)\s+(?:arriving|coming|landing)\b|\b(?:restore|lower|"
        r"refund)\s+my\s+(?:old\s+)?(?:rate|price|charge)\b",
    ),
    _ask(
        3.0,
        "asks to reach a reporter",
        r"\b(?:pass|forward)\s+(?:this|my\s+\w+)\s+(?:on\s+|along\s+)?to\s+(?:(?:ms|mr|mrs|dr)\b|your\s+"
        r"reporter|the\s+reporter|(?-i:[A-Z][a-z]+\s+[A-Z][a-z]+))",
        r"\bput\s+me\s+in\s+touch\s+with\b|\b(?:email|phone\s+number|contact\s+details)\s+for"
        r"\s+(?:your|the|ms|mr|mrs)\b",
        r"\b(?:like|love|want)\s+to\s+(?:talk|speak)\s+(?:to|with)\s+(?:her|him|them|your\s+"
        r"reporter|the\s+reporter)\b",
    ),
    _ask(
        3.0,
        "gives a tip, not for publication",
        r"\b(?:please\s+)?(?:don'?t|don’t|do\s+not)\s+(?:use|print|publish)\s+my\s+name\b",
        r"\boff\s+the\s+record\b|\bnot\s+for\s+publication\b|\bnews\s+tip\b",
    ),
    _ask(
        3.0,
        "asks how to send a letter or after one sent",
        r"\bword\s+limit\b|\bhow\s+long\s+can\s+(?:it|a\s+letter|letters)\s+be\b",
        r"\bwill\s+it\s+be\s+(?:published|printed)\b|\bwhether\s+it\s+will\s+be\s+published\b",
        r"\bwhether\s+you\s+(?:received|got)\s+it\b|\bhaven'?t\s+heard\s+back\b",
        r"\bhaven’t\s+heard\s+back\b|\bright\s+(?:email|address)\s+for\s+letters\b",
        r"\bhow\s+(?:do|should|can)\s+i\s+(?:send|submit)\b|\bdeadline\s+for\s+letters\b",
        r"\b(?:do|would)\s+you\s+(?:ever\s+)?print\s+letters\b|\bdo\s+i\s+send\s+it\b",
        r"\bwhat\s+would\s+i\s+need\s+to\s+send\b|\bi\s+sent\s+(?:you\s+)?a\s+letter\b",
        r"\bwould\s+like\s+to\s+write\s+a\s+letter\b",
        r"\b(?:maximum|max)\s+(?:length|word\s+count|number\s+of\s+words)\b|\bbefore\s+i\s+"
        r"(?:write|send|submit)\b|\bshould\s+i\s+include\s+my\b",
        r"\b(?:correct|right|proper)\s+(?:e-?mail\s+)?(?:address|place)\s+(?:to|for)\s+(?:send|submit)"
        r"\b|\bhow\s+many\s+words\s+(?:will|do|can)\b|\bdo\s+you\s+need\s+my\s+(?:phone|address|"
        r"street|full|name|number|town)\b|\bcan\s+it\s+be\s+a\s+(?:word|pdf)\b",
    ),
    _ask(
        3.0,
        "asks us to cover something",
        r"\bsend\s+(?:a\s+reporter|a\s+photographer|someone|your\s+photographer)\b",
        r"\b(?:cover|publicise|publicize|announce|list)\s+(?:our|the|this|it)\s+(?:\w+\s+)?"
        r"(?:event|sale|fundraiser|dinner|opening|rally)\b",
        r"\bcommunity\s+(?:calendar|listings)\b|\bpublish\s+a\s+notice\b",
        r"\b(?:write|story)\s+about\s+(?:it|us)\b|\bcount\s+on\s+coverage\b",
        r"\bavailable\s+(?:this\s+week\s+)?for\s+(?:\w+\s+){0,3}?interviews?\b",
        r"\binterview\s+request\b|\bmedia\s+advisory\b|\bfollow-up\s+(?:story|piece)\b",
        r"\bpitch\s+a\s+follow-?up\b|\b(?:these\s+girls|we)\s+deserve\s+a\s+story\b",
        r"\b(?:weekend|events?|community|what[’']s\s+on)\s+(?:listings?|calendar|guide)\b",
        r"\b(?:love|appreciate)\s+it\s+if\s+you\s+(?:could|would)\s+(?:include|cover|list|"
        r"mention|announce|feature|promote)\b",
        r"\bassign\s+(?:a|another|someone|somebody|your)\s+(?:\w+\s+)?(?:reporter|journalist|"
        r"photographer)\b|\bdeserves\s+(?:a|its\s+own|a\s+proper)\s+(?:story|article|feature|"
        r"follow-?up|investigation)\b|\bin\s+(?:the|your)\s+(?:arts|events?|community|weekend|"
        r"sports)\s+(?:calendar|listings?)\b|\b(?:could|can|would|will)\s+you\s+(?:please\s+)?"
        r"list\s+(?:this|it|our|the)\b",
        r"\bavailable\s+for\s+(?:a\s+)?(?:call|interview|comment|chat)\b|\bexpert\s+"
        r"(?:available|source|comment)\b|\b(?:offer|connect\s+you\s+with)\s+(?:dr|prof|"
        r"professor|an?\s+expert)\b",
    ),
    _ask(
        3.0,
        "submits a piece for publication",
        r"\battached\s+(?:is\s+)?(?:an?\s+|my\s+)?(?:\d+-word\s+)?(?:op-?ed|essay|column|poem)\b",
        r"\b(?:enclose|attach(?:ed)?)\s+a\s+(?:poem|essay|column)\b",
        r"\bsubmitting\s+(?:the|this|my|an?)\s+(?:\w+\s+){0,2}?(?:op-?ed|essay|piece|column)\b",
        r"\bfor\s+(?:exclusive\s+)?publication\s+(?:in|on)\b|\bguest\s+(?:opinion|column|essay)\b",
        r"\bwould\s+like\s+to\s+(?:offer|contribute|submit)\b|\bop-?ed\s+offer\b",
        r"\bwhether\s+you\s+would\s+like\s+to\s+publish\b|\bhope\s+you\s+will\s+publish\s+it\b",
        r"\bsubmission\s*:",
        r"\bplease\s+(?:publish|print|run)\s+(?:my\s+|the\s+|this\s+|these\s+)?(?:photos?|"
        r"photographs?|pictures?|poems?|drawings?|cartoons?)\b|\bplease\s+publish\s+it\s+so\b",
        r"\b(?:the|my|a)\s+(?:photo|photograph|picture|poem|drawing)\s+(?:is\s+)?(?:attached|below)"
        r"\b|\b(?:the|this)\s+poem\s+below\b",
        r"\breview\s+cop(?:y|ies)\b|\bsend\s+a\s+copy\s+to\s+you\s+or\s+your\b",
    ),
    _ask(
        3.0,
        "asks for the paper's endorsement",
        r"\b(?:ask|request|seek)(?:ing)?\s+(?:for\s+)?(?:the\s+[\w’']+\s+|your\s+)?endorsement\b",
        r"\bmeeting\s+with\s+your\s+editorial\s+board\b",
    ),
    _ask(
        4.0,
        "sells something",
        r"\bfree\s+trial\b|\bdemo\b|\brate\s+card\b|\byour\s+pricing\b|\bper\s+post\b|\b\d+%\s+off\b",
        r"\bmoney-?back\b|\bspecial\s+offer\b|\bour\s+rates\b|\bpublication\s+fee\b",
        r"\b(?:send|share)\s+(?:you\s+)?a\s+quote\b|\bsponsored\s+(?:content|articles?|posts?)\b",
        r"\blicen[cs]e\s+(?:those|these|our|my)\s+(?:images|photos)\b|\bpay\s+a\s+small\s+fee\b",
        r"\bbelow\s+your\s+current\s+price\b|\bfree\s+of\s+charge\b",
    ),
    _ask(
        3.0,
        "asks for a correction",
        r"\bplease\s+correct\b|\brequest\s+(?:that\s+)?a\s+correction\b|\bcorrection\s+request\b",
        r"\bgrateful\s+if\s+you\s+could\s+correct\b|\bcorrect\s+the\s+online\b",
        r"\b(?:could|can|would)\s+you\s+(?:please\s+)?(?:fix|correct|amend|update)\s+(?:it|that|"
        r"this|the\s+\w+)(?:\s+\w+)?\s+(?:online|on\s+the\s+website|in\s+the\s+online)\b",
        r"\b(?:print|run|reprint|publish)\s+the\s+(?:correct|right|missing)\s+(?:\w+\s+)?"
        r"(?:puzzle|grid|crossword|page|section|version|answers?)\b",
    ),
)
_ASKS += (
    _ask(
        3.0,
        "asks the paper a question or a favour",
        r"\b(?:could|can|would|will)\s+you\s+(?:please\s+)?(?:tell|send|help|put|give|share|"
        r"explain|confirm|advise|connect|check\s+whether)\s+(?:me|us)\b",
        r"\bhow\s+(?:can|do|should)\s+(?:i|we)\s+(?:reach|contact|get\s+in\s+touch|donate|place)\b",
        r"\bwhat\s+do\s+(?:i|we)\s+need\s+to\s+send\b|\bwhat\s+does\s+it\s+cost\b",
        r"\b(?:are|would)\s+you\s+(?:be\s+)?(?:open|available)\s+(?:to|for)\s+(?:a\s+)?(?:quick\s+)?"
        r"(?:call|chat|meeting|discuss)",
        r"\bplace\s+an?\s+(?:obituary|death\s+notice|ad|advert|advertisement|notice)\b",
        r"\b(?:paid|branded)\s+(?:partnership|content|articles?|posts?|series)\b",
        r"\bwould\s+be\s+honou?red\s+if\s+you\b|\bjoin\s+us\s+as\s+(?:a\s+)?(?:speaker|panell?ist)\b",
        r"\bdid\s+my\s+letter\s+(?:arrive|reach|get)\b|\bnothing\s+has\s+(?:appeared|been\s+printed)\b",
    ),
    _ask(
        3.0,
        "says it is not for publication",
        r"\b(?:no\s+need|not\s+necessary)\s+to\s+(?:print|publish|run)\s+(?:this|it)\b",
        r"\bnot\s+(?:meant\s+|intended\s+)?for\s+(?:print|publication|publishing)\b",
        r"\b(?:isn[’']?t|is\s+not|not)\s+(?:a\s+letter\s+|meant\s+|intended\s+|written\s+)?for\s+"
        r"(?:the\s+paper|the\s+letters\s+page|the\s+page|printing)\b|\bwriting\s+to\s+you\s+"
        r"(?:directly|privately|personally)\b",
        r"\bplease\s+(?:tell|thank)\s+(?:ms|mr|mrs|dr|your\s+reporter|(?-i:[A-Z][a-z]+\s+[A-Z][a-z]+))",
        r"\b(?:please\s+)?(?:don'?t|don’t|do\s+not)\s+(?:print|publish)\s+(?:this|it)\b",
    ),
)
_ASKS += (
    _ask(
        3.0,
        "asks us to fix something, not to print a letter",
        r"\b(?:fix|fixed|change|changed|update|updated|amend|amended|correct|corrected)\s+"
        r"(?:\w+\s+){0,3}?(?:online|on\s+(?:the|your)\s+(?:website|site|web)|in\s+the\s+next\s+"
        r"(?:paper|issue|edition))\b|\b(?:fix|change|update|amend|correct)\s+the\s+(?:web|online)\s+"
        r"(?:version|edition|story|article)\b",
        r"\b(?:spelled|spelt|misspelled|misspelt)\s+my\s+(?:\w+\s+)?name\b|\bmy\s+(?:first\s+|"
        r"last\s+|sur)?name\s+is\s+(?:actually\s+)?spel(?:led|t)\b",
    ),
    _ask(
        3.0,
        "asks the paper's service for something",
        r"\bwho\s+(?:do|should|can)\s+i\s+(?:talk|speak|write|complain)\s+to\b",
        r"\b(?:buy|order|purchase)\s+(?:a\s+)?(?:print|copy|reprint)\s+of\s+(?:that|the|this|a)\s+"
        r"(?:photo|photograph|picture|page|front\s+page)\b",
        r"\b(?:keep|switch|move|transfer|change)\s+(?:my|our)\s+subscription\b",
        r"\byour\s+(?:app|website|site|e-?edition)\s+(?:keeps\s+|always\s+|still\s+)?(?:logs|"
        r"locks|crashes|won[’']?t|will\s+not|doesn[’']?t|does\s+not|is\s+down)\b",
        r"\bhit\s+(?:the|a|your)\s+paywall\b",
        r"\bthank(?:s|\s+you)\s+(?:so\s+much\s+)?for\s+(?:printing|publishing|running|including)"
        r"\s+my\s+letter\b",
        r"\b(?:a|any)\s+mention\s+in\s+(?:the|your)\s+(?:paper|pages|calendar|listings?)\b|\b(?:will"
        r"\s+hold|is\s+holding|are\s+holding)\s+(?:its|their|our)\s+annual\b",
    ),
    _ask(
        4.0,
        "sells a service, or is a scam",
        r"\bno[\s-]obligation\b|\bmedia\s+kit\b|\bplans\s+(?:start|begin)\s+at\b",
        r"\bwe\s+work\s+with\s+(?:\w+\s+)?(?:papers|newspapers|newsrooms|publishers)\b|\b(?:newsrooms"
        r"|publishers)\s+(?:in\s+\w+\s+states\s+)?already\s+use\b",
        r"\b(?:arrange|set\s+up|book|schedule)\s+a\s+(?:short|quick|brief|[\w]+-minute)\s+(?:call|"
        r"demo|chat)\b|\bwalk\s+(?:you|your\s+\w+)\s+through\b",
        r"\b(?:improve|boost)\s+your\s+(?:traffic|rankings?|seo)\b|\bfirst\s+page\s+of\s+google\b"
        r"|\bsearch\s+engine\s+(?:registration|listing)\b|\b(?:free|seo)\s+audit\b",
        r"\bkindly\s+remit\b|\bremit\s+(?:the|a|your|payment|usd|\$)|\bprocessing\s+fee\b|\bwire\s+"
        r"transfer\b",
        r"\bnext\s+of\s+kin\b|\bstand\s+as\s+the\s+beneficiary\b|\brisk[\s-]free\b|\bbank\s+"
        r"(?:details|account\s+(?:number|details))\b",
    ),
    _ask(
        3.0,
        "offers us content, an expert or a follow-up",
        r"\bembed\s+(?:it|the|our|this)\b|\bembed\s+code\b|\bcredit\s+line\b",
        r"\b(?:i|we)\s+(?:wanted|want|would\s+like|[’']d\s+like)\s+to\s+introduce\s+(?:you\s+to\s+)?"
        r"(?:dr|prof|professor|our|my\s+client)\b",
        r"\b(?:join|be\s+a\s+guest\s+on|appear\s+on)\s+your\s+(?:podcast|show|programme|program)\b",
        # someone else offered to speak: a reader offering to talk to us may still write a letter
        r"\b(?:he|she|they)(?:[’']s|[’']re|\s+is|\s+are|\s+would\s+be)\s+(?:happy|glad|available)"
        r"\s+to\s+(?:speak|talk)\s+(?:with|to)\b",
        r"\b(?:update|amend|edit)\s+the\s+(?:article|story|piece|post)\s+(?:so\s+(?:that\s+)?it\s+|"
        r"to\s+)(?:points?|links?|mentions?|references?)\b|\bshare\s+your\s+coverage\s+with\b",
        r"\bfollow-on\s+piece\b|\bauthor\s+bio\b|\b(?:he|she|they)\s+can\s+be\s+reached\b|\bhelpful"
        r"\s+(?:voice|source)\b",
        r"\b(?:following|circling)\s+(?:up|back)\s+on\s+(?:my|our|the)\s+(?:note|email|e-mail|"
        r"message|release|pitch|invitation)\b",
        r"\bconsider\s+(?:my|the|this|our)\s+(?:attached|enclosed|following)\s+(?:piece|article|"
        r"essay|op-?ed|column|commentary)\b|\bmy\s+attached\s+(?:piece|article|essay)\b",
    ),
)
_ASKS += (
    _ask(
        3.0,
        "asks leave to reprint our piece",
        r"\bmay\s+(?:we|i)\s+(?:reprint|republish|reproduce|repost)\b|\bpermission\s+to\s+"
        r"(?:reprint|republish|reproduce|repost)\b",
    ),
)
# Signs that a letter rarely shows but may (a reader may ask "could you correct it", an
# official may sign for an office): each alone only weighs (the letter model weighs it too),
# two of them together decide.
_HINTS: tuple[_Ask, ...] = (
    _ask(
        1.5,
        "asks the paper to act",
        r"\b(?:could|can|would|will)\s+you\s+(?:please\s+)?(?:list|assign|correct|cover|include|"
        r"feature|forward|post|add|arrange|reprint|review|remove|take\s+down|fix|send)\b",
        r"\bplease\s+(?:assign|list|include|review|remove|take\s+down|reply|respond|get\s+back|"
        r"call|contact)\b|\bi\s+(?:am|'m|’m)\s+asking\s+(?:you|the\s+paper|the\s+editors?)\s+to\b",
        r"\blet\s+(?:me|us)\s+know\s+(?:if|whether|when|what|how)\b",
    ),
    _ask(
        1.5,
        "wants an answer, not publication",
        r"\bget\s+back\s+to\s+me\b|\bhear\s+back\s+from\s+you\b|\bi\s+expect\s+(?:a|an)\s+(?:reply|"
        r"answer|response|explanation)\b|\b(?:i|we)(?:'d|’d|\s+would)\s+like\s+to\s+know\s+who\b",
    ),
    _ask(
        1.5,
        "offers the paper something, as a business does",
        r"\b(?:at|for)\s+no\s+(?:charge|cost|fee)\b|\bfree\s+samples?\b|\bproduct\s+samples?\b",
        r"\bin\s+return\s*,|\bin\s+return\s+(?:i|we)(?:[’']d|\s+would|\s+will|\s+only)\b",
        r"\bmonthly\s+(?:price|fee|rate|plan)\b|\boffers?\s+(?:newsrooms|publishers|newspapers|"
        r"editors)\b",
        r"\bi\s+can\s+(?:also\s+)?send\s+(?:you\s+)?(?:a\s+|the\s+|some\s+|our\s+)?(?:samples?|"
        r"outline|draft|photos|images|data|report)\b|\b(?:i|we)(?:'d|’d|\s+would)\s+be\s+(?:glad|"
        r"happy|delighted)\s+to\s+send\b|\bwould\s+welcome\s+(?:a|the)\s+(?:chance|opportunity)"
        r"\s+to\b|\b(?:like|want)\s+an\s+outline\b",
    ),
    _ask(
        1.5,
        "writes for a company or a press office",
        r"\bour\s+(?:in-house|team\s+of|clients?|platform|company|firm|agency|founder|ceo|"
        r"products?)\b|\bi\s+represent\b",
        r"\b(?:media|public|press)\s+relations\b|\bcommunications\s+(?:director|officer|manager|"
        r"lead)\b|\bcontent\s+partnerships?\b|\bmarketing\s+(?:manager|director|lead|team|"
        r"coordinator)\b",
    ),
)
_CAP = 8.0
_READS_AT_MOST = 20_000  # characters: asks come early, and a letter is under 600 words


def asks_of(own_words: str) -> tuple[float, tuple[str, ...]]:
    """Weigh what the sender's *own_words* ask the paper for: (weight, reasons)."""
    weight, reasons, text = 0.0, [], own_words[:_READS_AT_MOST]
    lowered = folded(text)
    for ask in _ASKS:
        found = ask.pattern.search(text, lowered)
        if found:
            weight += ask.weight
            reasons.append(f"{ask.what}, not a letter: ‘{' '.join(found.group(0).split())}’")
    for hint in _HINTS:
        found = hint.pattern.search(text, lowered)
        if found:
            weight += hint.weight
            reasons.append(f"{hint.what}, unlike a letter: ‘{' '.join(found.group(0).split())}’")
    return min(weight, _CAP), tuple(reasons)
