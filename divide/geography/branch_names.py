"""Is this registered shelter a municipal counter? A rule on the facility's name.

Some municipalities registered their branch offices (総合支所, 支所, 出張所, 行政センター …) as
designated shelters, so the GSI shelter list names a part of the counter network. The rule (studied
on all 82,557 names of Japan; 434 candidate counters, of which the generic part below keeps about
280):

1. A name that belongs to another organisation is rejected outright: JA/農協, 漁協, 組合, 商工会,
   社協, 土地改良区, 診療所, 消防, 警察, 県, 広域 (a joint body), 合同庁舎, 教育委員会, 水道 …
2. Words naming a *former* office (旧清水総合支所, 元役場) are removed before matching.
3. The name is split at brackets and separators (「久井保健福祉センター（久井支所）」 -> 久井支所);
   a segment about welfare, care or a school is skipped.
4. A segment with a counter word is a counter: 総合支所, 統括支所, 支所, 出張所, 連絡所,
   行政センター, 市民/行政/住民サービスセンター, 区民事務所, 総合事務所, 振興事務所, 市民局, 行政局,
   地域局, 振興局; 区役所 only in an ordinary city (南相馬市 小高区役所; in designated cities and
   Tokyo the ward office is already on the office list, in towns it names a hamlet).
5. A separately named 庁舎 of a merged municipality (行方市 玉造庁舎) is a counter, unless the name
   is an annex of the main office (東庁舎, 別館, 防災センター …) or the main office itself
   (〇〇市役所, 本庁舎).

Words such as 市民センター, 地区センター, まちづくりセンター or 公民館 name a counter in a few
cities and a community hall in most; they are *not* taken as counters (a municipality's own list,
passed as a ``service_layers`` file, is the way to add them). The rule finds no branch office for
福島市, 郡山市 or いわき市, whose 支所 are not registered as shelters under those names: the counter
network of such municipalities stays unverified.
"""

from __future__ import annotations

import re
import unicodedata

_HARD = re.compile(
    r"JA|農協|農業協同組合|漁協|漁業協同組合|森林組合|組合|商工会|社会福祉協議会|社協|協議会|土地改良区|財産区|区長|"
    r"診療所|病院|刑務|拘置|法務|研究所|教務|天理教|造船|消防|警察|郵便|銀行|信用金庫|広域|県|国土交通|河川国道|"
    r"森林管理|営林|税務署|ハローワーク|年金事務所|合同庁舎|港湾|教育委員会|上下水道|水道|管理事務所|振興会|株式会社|"
    r"\(株\)|㈱"
)
_SOFT = re.compile(r"福祉センター|支援センター|介護|高校|学校|分館")
_FORMER = re.compile(r"(旧|元(?=役場|庁舎))[^()・/、,\s]*")
_SPLIT = re.compile(r"[()\[\]【】「」『』・/、,]+")
_BRANCH = re.compile(
    r"総合支所|統括支所|支所|出張所|連絡所|行政センター|(市民|行政|住民|町民|村民)サービスセンター|"
    r"区民事務所|総合事務所|振興事務所|市民局|行政局|地域局|振興局"
)
_OFFICE = re.compile(r"市役所|町役場|村役場|役場|市庁舎|本庁舎|分庁舎|.+庁舎")
_ANNEX = re.compile(
    r"(東|西|南|北|中央|新|第\d+|防災|本庁|総合)(庁舎|館)|別館|分館|棟|駐車場|車庫|休憩室|ホール|会議|"
    r"多目的|保健センター|防災センター|来客|住民集会室|ロビー"
)
_MAIN = re.compile(
    r"^(.{1,4}区)?(市|町|村)?(役所|役場|区役所)?(等?複合庁舎|本庁舎?|庁舎|本館|新庁舎|総合庁舎)?"
    r"(\d+階.*|\d+F.*|【.*】|内.*|部分)?$"
)


def _office_segment(segment: str, following: str, municipality: str) -> bool:
    """A separately named branch building (分庁舎 / 〇〇庁舎), not an annex and not the main office."""
    if not (_OFFICE.search(segment) or "区役所" in segment):
        return False
    core = segment.replace(municipality, "") if municipality else segment
    return not (
        _ANNEX.search(core) or _ANNEX.search(following) or _MAIN.match(core) or core == "庁舎"
    )


def is_counter(name: str, municipality: str, *, ordinary_city: bool) -> bool:
    """True when the facility ``name`` registered by ``municipality`` (its Japanese name) is one of
    its counters.

    ``ordinary_city``: a 市 that is neither a designated city nor a Tokyo ward (where 区役所 is a
    branch).

    Examples
    --------
    >>> is_counter("梁川総合支所", "伊達市", ordinary_city=True)
    True
    >>> is_counter("ＪＡふくしま未来 梁川支所", "伊達市", ordinary_city=True)
    False
    >>> is_counter("久井保健福祉センター（久井支所）", "三原市", ordinary_city=True)
    True
    >>> is_counter("郡山市中央公民館", "郡山市", ordinary_city=True)
    False
    """
    text = unicodedata.normalize("NFKC", str(name))
    if _HARD.search(_FORMER.sub(" ", text)):
        return False
    segments = [s for s in _SPLIT.split(_FORMER.sub(" ", text)) if s]
    for position, segment in enumerate(segments):
        if _SOFT.search(segment):
            continue
        if _BRANCH.search(segment) or (ordinary_city and "区役所" in segment):
            return True
        following = segments[position + 1] if position + 1 < len(segments) else ""
        if "区役所" not in segment and _office_segment(segment, following, municipality):
            return True
    return False
