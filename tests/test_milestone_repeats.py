"""A machine-read milestone that states again an act a person reviewed is loaded once (the
reviewed one): lantu.domain.milestones.repeats, applied by the default's loader."""

from __future__ import annotations

import pytest

from lantu.domain.milestones import MilestoneFact, milestone_core, repeats

HUB = MilestoneFact("140100", 2019, "designation", "首批入选2019年国家物流枢纽建设名单",
                    reviewed=True)


def _m(year, text, kind="designation", region="140100"):
    return MilestoneFact(region, year, kind, text)


@pytest.mark.parametrize("machine, expected", [
    (_m(2020, "入选首批国家物流枢纽建设名单"), True),          # the five-year review, a year later
    (_m(2019, "我市首批入选2019年国家物流枢纽建设名单"), True),  # the same year, other words
    (_m(2018, "入选首批国家物流枢纽建设名单"), True),
    (_m(2021, "入选首批国家物流枢纽建设名单"), False),         # two years apart: not assumed
    (_m(2020, "入选首批国家物流枢纽建设名单", kind="completion"), False),
    (_m(2020, "入选首批国家物流枢纽建设名单", region="140200"), False),
    (_m(2020, "入选国家物流枢纽"), False),                    # too short a core to be the same
    (_m(2020, "入选国家综合货运枢纽补链强链支持城市"), False),  # another designation
])
def test_what_repeats_a_reviewed_milestone(machine, expected):
    assert repeats(machine, HUB) is expected


def test_a_recurring_title_repeats_only_in_its_own_year():
    award = MilestoneFact("140100", 2019, "designation", "被评为年度“中国最具竞争力会展城市”",
                          reviewed=True)
    assert repeats(_m(2019, "被评为年度中国最具竞争力会展城市"), award)
    assert not repeats(_m(2020, "被评为年度“中国最具竞争力会展城市”"), award)


def test_containment_needs_a_long_enough_core():
    rev = MilestoneFact("140100", 2019, "designation", "成功获批国家跨境电子商务综合试验区")
    assert milestone_core("获批设立国家跨境电子商务综合试验区") == milestone_core(rev.text)
    assert repeats(_m(2020, "中国（太原）跨境电子商务综合试验区获批"), rev) is False  # 中国 in it
    assert repeats(_m(2020, "国家跨境电子商务综合试验区获批，跨境电商交易额增长"), rev)


def test_the_default_holds_the_hub_designation_once(default_db_module):
    from lantu.store.evidence import milestones_for

    with default_db_module.session() as s:
        hub = [m for m in milestones_for(s, "140100", node_codes=["P0.1"])
               if "国家物流枢纽建设名单" in m["text"]]
    assert [(m["year"], m["reviewed"]) for m in hub] == [(2019, True)]


def test_the_loader_names_what_it_left_out(tmp_path):
    from lantu import services
    from lantu.store import open_database

    db = open_database(f"sqlite:///{tmp_path}/lantu.db")
    try:
        res = services.init_default(db)
    finally:
        db.dispose()

    def find(d):
        if isinstance(d, dict):
            for k, v in d.items():
                if k == "repeats_of_reviewed":
                    return v
                got = find(v)
                if got is not None:
                    return got
        return None

    left = find(res)
    assert "140100 2020 入选首批国家物流枢纽建设名单" in left
    assert all(x.startswith("140100 20") for x in left)
