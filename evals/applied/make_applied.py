"""Writes evals/applied/applied.jsonl: applied questions with expected verdicts worked out here
by hand from the rules' thresholds (not by running the engine)."""
import json
from pathlib import Path
import yaml

RULES = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (Path(__file__).resolve().parents[2] / "corpus" / "rules").glob("*.yaml")}
def crit(prog, cid):
    return next(c for c in RULES[prog]["criteria"] if c["id"] == cid)
def ev(prog, cid):
    q = crit(prog, cid)["quote"]
    return q[:40]
rows = []
def row(q, prog, cids, verdicts, facts=None, answer=None, history=None):
    c0 = crit(prog, cids[0])
    r = {"id": f"ap-{len(rows)+1:03d}", "q": q, "doc": prog, "evidence": ev(prog, cids[0]),
         "facts": facts if facts is not None else ([c0["figure"]] if c0.get("figure") else []),
         "answerable": True, "type": "applied", "expected_verdicts": verdicts}
    if answer:
        r["expected_answer"] = answer
    if history:
        r["history"] = history
    rows.append(r)

C = "gx-consortium"
# revenue: ≥ 100000 万元 (10亿元), 原则上
for q, ok in [("我们公司去年营收8亿元，能牵头组建广西创新联合体吗？", False),
              ("我司主营业务收入12亿，牵头搞创新联合体够格吗？", True),
              ("我们营业收入九亿五千万，牵头广西创新联合体达标吗？", False),
              ("我们年收入100000万元，能不能牵头组建创新联合体？", True),
              ("公司一年营收也就6个亿，想牵头广西的创新联合体，差多少？", False)]:
    row(q, C, ["lead_revenue"], {"lead_revenue": "pass" if ok else "fail"})
# members count ≥ 8
for q, n in [("我们联合体打算拉6家单位，够不够？", 6), ("创新联合体一共十家成员单位，数量上达标吗？", 10),
             ("我们准备组建的广西创新联合体有8个成员，够吗？", 8), ("联合体现在只有五家单位，还差几家？", 5)]:
    row(q, C, ["members_count"], {"members_count": "pass" if n >= 8 else "fail"})
# rd staff ≥ 30
for q, n in [("我们专职研发人员25人，牵头广西创新联合体够吗？", 25), ("我们有四十名专职研发人员，能牵头创新联合体吗？", 40),
             ("公司搞研发的有30个人，符合创新联合体牵头单位要求吗？", 30)]:
    row(q, C, ["lead_rd_staff"], {"lead_rd_staff": "pass" if n >= 30 else "fail"})
# rd expense: ≥3000 OR ratio ≥3% (both given)
for q, rd, sales in [("我们近三年研发费用2800万，近三年销售收入8亿，牵头广西创新联合体达标吗？", 2800, 80000),
                     ("近三年研发投入3500万元，能牵头创新联合体吗？", 3500, None),
                     ("我们近三年研发费用2000万，近三年销售收入10亿，研发这块够不够？", 2000, 100000)]:
    if sales is None:
        v = "pass" if rd >= 3000 else None
    else:
        v = "pass" if rd >= 3000 or rd / sales * 100 >= 3 else "fail"
    row(q, C, ["lead_rd_expense"], {"lead_rd_expense": v} if v else {})
# ratios need total + part
row("联合体一共12家单位，其中区内注册的有3家，企业5家，够条件吗？", C, ["members_count"],
    {"members_count": "pass", "members_guangxi_ratio": "fail", "members_enterprise_ratio": "pass"})
row("我们联合体10家单位，区内注册的4家，企业有2家，达标吗？", C, ["members_count"],
    {"members_count": "pass", "members_guangxi_ratio": "pass", "members_enterprise_ratio": "fail"})
# booleans
row("我们没在广西注册，营收15亿，能牵头广西创新联合体吗？", C, ["lead_registered_in_guangxi"],
    {"lead_registered_in_guangxi": "fail", "lead_revenue": "pass"}, facts=[])
row("我们是高校，能不能牵头组建广西创新联合体？", C, ["lead_is_enterprise"], {"lead_is_enterprise": "fail"}, facts=[])
row("我们公司在广西注册的，专职研发人员35人，够格牵头吗？", C, ["lead_registered_in_guangxi"],
    {"lead_registered_in_guangxi": "pass", "lead_rd_staff": "pass"}, facts=[])
# unmapped extra fact
row("我们有500名员工，营收11亿，能牵头广西创新联合体吗？", C, ["lead_revenue"], {"lead_revenue": "pass"})
row("我们成立20年了，研发人员20人，牵头创新联合体差多少？", C, ["lead_rd_staff"], {"lead_rd_staff": "fail"})
# member in many consortia ≤ 3
row("我们有个成员已经参与了4个创新联合体，还能加入我们吗？", C, ["member_consortia_limit"], {"member_consortia_limit": "fail"})
# follow-up with the programme in history
row("我们营收8亿够吗？", C, ["lead_revenue"], {"lead_revenue": "fail"}, history=["广西创新联合体牵头企业有什么条件？"])
row("我们研发人员28个，够不够？", C, ["lead_rd_staff"], {"lead_rd_staff": "fail"}, history=["广西创新联合体牵头单位要满足哪些条件？"])

T = "gx-tic"
for q, total, mine, ans in [("专家委员会15个人，里面最多能有几个是我们自己单位的？", 15, None, "5人"),
                            ("我们专家委员会打算请21位专家，牵头单位和共建单位的最多能占几个？", 21, None, "7人"),
                            ("广西技创中心专家委员会12人，其中我们自己单位的5人，符合要求吗？", 12, 5, None),
                            ("专家委员会一共9个人，我们自己人3个，行不行？", 9, 3, None)]:
    if mine is None:
        row(q, T, ["expert_committee_insiders"], {}, answer=ans)
    else:
        row(q, T, ["expert_committee_insiders"], {"expert_committee_insiders": "pass" if mine * 3 <= total else "fail"})
for q, m in [("广西技创中心主任一年在中心干8个月，够吗？", 8), ("中心主任每年在中心工作10个月，符合广西技术创新中心的要求吗？", 10),
             ("主任一年在中心待半年，行吗？", 6)]:
    row(q, T, ["director_months"], {"director_months": "pass" if m >= 9 else "fail"})
row("我们是广西一家企业，能不能自己直接去申请建广西技术创新中心？", T, ["organizer"], {"organizer": "fail"}, facts=[])
row("由设区市政府牵头申请广西技术创新中心，专家委员会10个人其中自己人4个，可以吗？", T, ["expert_committee_insiders"],
    {"expert_committee_insiders": "fail", "organizer": "pass"})

N = "nm-tic"
for q, total, mine, ans in [("内蒙古技创中心技术指导委员会18个人，依托单位和共建单位的最多能有几个？", 18, None, "6人"),
                            ("内蒙古技术创新中心的技术指导委员会15人，我们自己单位的占6个，达标吗？", 15, 6, None),
                            ("内蒙古技创中心技术委员会12人里我们的人4个，符合要求吗？", 12, 4, None)]:
    if mine is None:
        row(q, N, ["tech_committee_insiders"], {}, answer=ans)
    else:
        row(q, N, ["tech_committee_insiders"], {"tech_committee_insiders": "pass" if mine * 3 <= total else "fail"})
for q, m in [("内蒙古技术创新中心主任每年在中心工作7个月，够不够？", 7), ("内蒙古技创中心主任一年在中心9个月，符合吗？", 9)]:
    row(q, N, ["director_months"], {"director_months": "pass" if m >= 9 else "fail"})
row("我们是企业，牵头内蒙古技术创新中心，自治区财政支持500万，我们新增研发投入配套400万，够吗？", N, ["enterprise_matching_funds"],
    {"enterprise_matching_funds": "fail", "lead_type_mode": "pass"}, facts=[])
row("我们企业牵头内蒙古技创中心，自治区财政支持资金300万，我们配套资金350万，符合要求吗？", N, ["enterprise_matching_funds"],
    {"enterprise_matching_funds": "pass", "lead_type_mode": "pass"}, facts=[])

H = "hn-tic"
for q, v in [("我们是企业，近三年平均研发经费3500万，能牵头申报湖南省技术创新中心吗？", 3500),
             ("我们是湖南的企业，近三年平均研发投入五千万，牵头湖南技创中心够吗？", 5000),
             ("我们企业牵头湖南技术创新中心，近三年平均研发费用4000万元，达标吗？", 4000)]:
    row(q, H, ["lead_avg_rd_expense"], {"lead_avg_rd_expense": "pass" if v >= 4000 else "fail"})
row("我们近三年平均研发经费3500万，能牵头湖南技术创新中心吗？", H, ["lead_avg_rd_expense"], {})  # type not stated: undecided
for q, pct in [("我们是高校，技术服务收入占年收入的25%，牵头湖南技术创新中心达标吗？", 25),
               ("我们是科研院所，技术服务收入占比百分之三十五，能牵头湖南技创中心吗？", 35)]:
    row(q, H, ["lead_service_income_ratio"], {"lead_service_income_ratio": "pass" if pct >= 30 else "fail"})
for q, n in [("我们是高校，成果转化成功案例有3例，能牵头湖南技术创新中心吗？", 3),
             ("我们是科研院所，有6个成果转化案例，够不够牵头湖南技术创新中心？", 6)]:
    row(q, H, ["lead_transfer_cases"], {"lead_transfer_cases": "pass" if n >= 5 else "fail"})
row("湖南技术创新中心是独立法人，注册资金800万，够吗？", H, ["center_registered_capital"],
    {"center_legal_entity": "pass", "center_registered_capital": "fail"}, facts=[])
row("我们湖南技创中心是独立法人，注册资本1500万元，符合要求吗？", H, ["center_registered_capital"],
    {"center_legal_entity": "pass", "center_registered_capital": "pass"}, facts=[])
row("我们中心负责人是兼职的，申报湖南技术创新中心行不行？", H, ["center_head_full_time"], {"center_head_full_time": "fail"}, facts=[])
row("我们是高校，近三年平均研发经费3000万，有6个转化案例，能牵头湖南技创中心吗？", H, ["lead_transfer_cases"],
    {"lead_transfer_cases": "pass"})

D = "gx-demo-zone"
for q, y in [("我们市想建设广西成果转化示范区，建设期打算搞4年，符合要求吗？", 4), ("示范区建设时间计划2年，行不行？", 2),
             ("我们示范区建设周期定了3年，够不够？", 3), ("示范区建设期五年可以吗？", 5)]:
    row(q, D, ["build_years"], {"build_years": "pass" if 2 <= y <= 3 else "fail"})
row("我们是县里牵头建设广西科技成果转移转化示范区，可以吗？", D, ["builder_city"], {"builder_city": "fail"}, facts=[])
row("我们依托国家级高新区建设示范区，建设期3年，符合吗？", D, ["build_years"], {"build_years": "pass", "park_type": "pass"})

row("我们公司营收8个亿，专职研发人员32人，能牵头组建广西创新联合体吗？", C, ["lead_revenue"],
    {"lead_revenue": "fail", "lead_rd_staff": "pass"})
row("我们已经牵头了1个创新联合体，还能再牵头一个吗？", C, ["lead_single_consortium"], {"lead_single_consortium": "fail"})
row("联合体有七家成员单位，符合广西创新联合体的组成要求吗？", C, ["members_count"], {"members_count": "fail"})
row("我们是企业，牵头内蒙古技术创新中心，中心主任每年在中心工作10个月，可以吗？", N, ["director_months"],
    {"director_months": "pass", "lead_type_mode": "pass"})

out = Path(__file__).resolve().parent / "applied.jsonl"
out.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
print(len(rows))
