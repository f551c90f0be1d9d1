"""Fixed demo data: two markets, residents, partners and incentives (all names fictitious)."""

# (slug, name, address, supervising department: inspections are filed under it, its operators approve links)
MARKETS = [
    ("magong", "马宫水产品批发市场", "汕尾市城区马宫街道", "汕尾市市场监督管理局"),
    ("sanmalu", "三马路步行街", "汕尾市城区三马路", "汕尾市市场监督管理局"),
]

# (name, business scope) per market; grades are dealt A×5, B×5, C×3, D×2 in this order.
MERCHANTS = {
    "magong": [
        ("阿海鲜活水产", "鲜活鱼虾批发"), ("林记渔行", "海鱼批发"), ("马宫蚝仔档", "生蚝贝类"),
        ("陈伯虾蟹行", "虾蟹批发"), ("蔡氏干货", "鱼干虾米"), ("港口鱿鱼行", "鱿鱼墨鱼"),
        ("黄记冰鲜", "冰鲜海产"), ("渔村贝类", "花甲扇贝"), ("郑家海鲜", "海鲜零售"),
        ("海湾鱼丸坊", "鱼丸加工"), ("许记水产", "淡水鱼批发"), ("吴姐海味", "海味干货"),
        ("南澳鲍鱼行", "鲍鱼海参"), ("旺福渔业", "冻品批发"), ("海丰虾苗档", "虾苗水产"),
    ],
    "sanmalu": [
        ("老街凉茶铺", "凉茶饮品"), ("汕尾小吃店", "地方小吃"), ("三马路茶叶行", "茶叶零售"),
        ("红海湾手信", "特产手信"), ("品清服饰", "服装零售"), ("凤山钟表行", "钟表维修"),
        ("金町眼镜店", "眼镜验配"), ("遮浪糖水铺", "糖水甜品"), ("碣石粿条店", "粿条米粉"),
        ("马思聪书屋", "图书文具"), ("海滨鞋城", "鞋类零售"), ("城区药房", "药品零售"),
        ("汕尾银饰坊", "银饰加工"), ("渔歌音像", "音像制品"), ("陆河擂茶馆", "擂茶餐饮"),
    ],
}
MERCHANT_GRADES = "AAAAABBBBBCCCDD"

RESIDENTS = [
    ("陈海生", "A"), ("林秀英", "A"), ("黄志明", "A"), ("吴丽华", "A"), ("蔡建国", "A"),
    ("郑美玲", "A"), ("许国强", "A"), ("李小红", "B"), ("张伟", "B"), ("王芳", "B"),
    ("刘洋", "B"), ("杨静", "B"), ("赵磊", "B"), ("周敏", "B"), ("徐涛", "C"),
    ("孙丽", "C"), ("马超", "C"), ("朱军", "D"), ("胡杰", "D"), ("欧阳晓峰", "D"),
]
BLACKLISTED_RESIDENT = "欧阳晓峰"

SCENARIOS = [
    ("transit", "信用+公交", ["eligibility", "discount"]),
    ("lodging", "信用+住宿", ["masked_name", "eligibility"]),
    ("medical", "信用+医疗", ["masked_name", "eligibility"]),
    ("tourism", "信用+旅游", ["eligibility"]),
    ("market", "信用+市场", ["eligibility"]),
]

# Counters where residents without a phone may be looked up by ID number; where printed cards get no perks.
ID_CHECK_SCENARIOS = frozenset({"lodging", "medical"})
LIVE_CODE_ONLY_SCENARIOS = frozenset({"tourism"})

# (scenario, partner name, partner USCC base 17 chars, device name)
PARTNERS = [
    ("transit", "汕尾市公共交通有限公司", "91441500MA4W00001", "1路公交车载验码机"),
    ("lodging", "汕尾品清湖酒店", "91441500MA4W00002", "前台扫码枪"),
    ("medical", "汕尾市人民医院", "12441500MA4W00003", "门诊收费窗口"),
    ("tourism", "凤山妈祖旅游区", "91441500MA4W00004", "南门闸机"),
]

# (code, scenario, title, description, eligible grades, quota count, period)
INCENTIVES = [
    ("bus-discount", "transit", "信用+公交 乘车九折", "信用优良市民乘坐市区公交享九折", "AB", 1, "day"),
    ("hotel-deposit-free", "lodging", "免押金入住", "信用优良市民入住免收押金", "AB", 1, "day"),
    ("clinic-pay-later", "medical", "先诊疗后付费", "信用优秀市民门诊先诊疗后付费", "A", 2, "month"),
    ("park-ticket", "tourism", "景区门票八折", "信用优良市民景区门票八折", "AB", 1, "month"),
]

OPERATORS = [
    ("平台管理员", "admin", {}),
    ("市市场监督管理局", "department", {"department": "汕尾市市场监督管理局"}),
    ("马宫市场管理处", "market", {"market_slug": "magong"}),
    ("三马路商圈管理处", "market", {"market_slug": "sanmalu"}),
    ("公交公司运营部", "partner", {"partner_name": "汕尾市公共交通有限公司"}),
    ("市政务服务中心综合窗口", "window", {"department": "汕尾市政务服务中心"}),
]

# A bank for 信易贷 (backend/banks) and its credit department's operator (role bank): name, USCC, licence.
BANK = ("汕尾农村商业银行", "91441500MA4W3BNK0G", "B1234H244150001")
BANK_OPERATOR = "汕尾农商银行普惠金融部"

INSPECTION_AGENCY = "汕尾市食品检验所"
# The testing agencies on the admins' list (market offices record reports of these only).
INSPECTION_AGENCIES = [INSPECTION_AGENCY, "汕尾市质量计量监督检测所"]

# Credit records behind each intended grade; the evaluation model (backend/grading/models/v1.toml)
# turns them into that grade. Merchants also get the records of their seeded inspections (two passes,
# +2 each; C and D one pass and one failure, +2 −12): A 75+1+6+8+3+4=97, B 80, C 61, D 36;
# A 75+12+3+2=92, B 78, C 60, D 35 for residents. (category, severity, result, title, doc prefix, department)
SAMR, DRC, TAX, COURT, CIVIL = ("汕尾市市场监督管理局", "汕尾市发展和改革局", "国家税务总局汕尾市税务局",
                                "汕尾市城区人民法院", "汕尾市文明办")
_LICENCE = ("admin_licence", None, None, "食品经营许可", "JY", SAMR)
MERCHANT_RECORDS = {
    "A": [_LICENCE, ("honour", None, None, "诚信经营示范户", "CX", DRC),
          ("tax_rating", None, "A", "纳税信用A级", "NS", TAX),
          ("commitment_kept", None, None, "诚信经营承诺践行", "CN", SAMR)],
    "B": [_LICENCE],
    "C": [_LICENCE, ("admin_penalty", "minor", None, "未按规定公示食品进货查验记录", "汕市监罚", SAMR)],
    "D": [_LICENCE, ("admin_penalty", "serious", None, "销售不合格食用农产品", "汕市监罚", SAMR)],
}
RESIDENT_RECORDS = {
    "A": [("honour", None, None, "优秀志愿者", "ZY", CIVIL), ("honour", None, None, "见义勇为", "JYYW", CIVIL),
          ("commitment_kept", None, None, "信用承诺践行", "CN", DRC),
          ("contract_performance", None, "kept", "按期履行借款合同", "HT", DRC)],
    "B": [("commitment_kept", None, None, "信用承诺践行", "CN", DRC)],
    "C": [("admin_penalty", "general", None, "违规占道经营", "汕市监罚", SAMR)],
    "D": [("court_dishonesty", None, None, "失信被执行人", "粤1502执", COURT)],
}
