"""`flask seed-demo`: idempotent demo data for trying the platform on a laptop, never in production.

The data is created once; the demo operators' and devices' credentials are new random tokens on every
run (the old ones stop working), returned once and stored only as hashes, like every other credential.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select
from stdnum.cn import ric, uscc

from backend.banks.models import Bank
from backend.credit.grades import recompute_subject
from backend.credit.joint import sync_catalogue
from backend.credit.models import CreditRecord, ListEntry
from backend.credit.publication import classify
from backend.credit.subjects import get_or_create_organisation, get_or_create_person
from backend.demo import data as D
from backend.keys.ring import ensure_signing_key
from backend.merchants.agencies import ensure_agencies
from backend.merchants.credit_filing import file_inspection
from backend.merchants.models import Inspection, Market, Merchant
from backend.merchants.stickers import page_path
from backend.operators.services import resolve_scope
from backend.platform import audit
from backend.platform.access import Operator
from backend.platform.clock import china_today
from backend.platform.crypto import credential_hash, new_credential
from backend.platform.db import db, on_commit, use_case
from backend.platform.errors import Forbidden
from backend.scanning.devices import forget_cached
from backend.scanning.models import Incentive, Partner, ScannerDevice, Scenario
from backend.scanning.partners import free_offline_bit

ACTOR = "cli:seed-demo"
PRODUCTION_REFUSAL = ("seed-demo 不能在 APP_ENV=production 下运行：演示操作员和扫码设备会成为真实数据上的真实凭据。")


def refuse_in_production() -> None:
    """Raises Forbidden (code demo_in_production) when the app runs with APP_ENV=production."""
    if current_app.config["ENV_NAME"] == "production":
        raise Forbidden(PRODUCTION_REFUSAL, code="demo_in_production")


def _uscc(base17: str) -> str:
    return base17 + uscc.calc_check_digit(base17)


def demo_resident_id(i: int) -> str:
    base = f"441502{1960 + i * 2}{(i % 12) + 1:02d}{(i % 27) + 1:02d}{100 + i:03d}"
    return base + ric.calc_check_digit(base + "0")  # stdnum expects a placeholder check digit


def _seed_records(subject, recipe: list[tuple], tag: str) -> None:
    """File the demo records (once, keyed like real resubmissions) and grade the subject by the model."""
    decided = china_today() - dt.timedelta(days=60)
    for n, (category, severity, result, title, prefix, department) in enumerate(recipe):
        doc = f"{prefix}〔2026〕{tag}-{n}号"
        exists = db.session.execute(select(CreditRecord.id).where(
            CreditRecord.department == department, CreditRecord.document_no == doc)).first()
        if not exists:
            record = CreditRecord(subject_id=subject.id, category=category, severity=severity, result=result,
                                  title=title, department=department, document_no=doc,
                                  legal_basis="《广东省社会信用条例》", decided_on=decided)
            classify(record, {})  # class and publication window, as a department's filing gets them
            db.session.add(record)
    db.session.flush()
    recompute_subject(subject, reason="演示数据")


def seed_scenarios_and_partners() -> dict:
    devices = {}
    for slot, (code, name, disclosure) in enumerate(D.SCENARIOS):
        db.session.merge(Scenario(code=code, name_zh=name, disclosure=disclosure, slot=slot,
                                  id_checks=code in D.ID_CHECK_SCENARIOS,
                                  card_perks=code not in D.LIVE_CODE_ONLY_SCENARIOS))
    db.session.flush()
    for scenario, name, base, device_name in D.PARTNERS:
        partner = db.session.execute(select(Partner).where(Partner.name == name)).scalar_one_or_none()
        if partner is None:
            partner = Partner(name=name, scenario=scenario, uscc=_uscc(base))
            db.session.add(partner)
            db.session.flush()
        token = new_credential("dev")
        device = db.session.execute(select(ScannerDevice).where(
            ScannerDevice.partner_id == partner.id, ScannerDevice.name == device_name,
            ScannerDevice.revoked_at.is_(None)).order_by(ScannerDevice.id)).scalars().first()
        if device is None:
            device = ScannerDevice(partner_id=partner.id, scenario=scenario, name=device_name,
                                   token_hash=credential_hash(token))
            db.session.add(device)
        else:
            device.token_hash = credential_hash(token)  # the previous run's token stops working
        db.session.flush()
        devices[scenario] = {"id": device.id, "name": device_name, "partner": name, "scenario": scenario,
                             "token": token}
    for code, scenario, title, desc, grades, count, period in D.INCENTIVES:
        if db.session.execute(select(Incentive.id).where(Incentive.code == code)).first() is None:
            partner = db.session.execute(select(Partner).where(Partner.scenario == scenario)).scalars().first()
            db.session.add(Incentive(code=code, scenario=scenario, partner_id=partner.id, title=title,
                                     description=desc, eligible_grades=grades, quota_count=count,
                                     quota_period=period, subject_kinds="person",
                                     offline_bit=free_offline_bit(scenario)))
            db.session.flush()
    return devices


def seed_markets() -> list[dict]:
    merchants = []
    ensure_agencies(D.INSPECTION_AGENCIES)
    for slug, name, address, department in D.MARKETS:
        market = db.session.execute(select(Market).where(Market.slug == slug)).scalar_one_or_none()
        if market is None:
            market = Market(slug=slug, name=name, address=address, department=department)
            db.session.add(market)
            db.session.flush()
        for i, ((mname, scope), grade) in enumerate(zip(D.MERCHANTS[slug], D.MERCHANT_GRADES, strict=True), start=1):
            code = _uscc(f"92441502MA{'5M' if slug == 'magong' else '5N'}{i:05d}")
            subject = get_or_create_organisation(code, mname, kind="merchant")
            db.session.flush()
            merchant = db.session.execute(
                select(Merchant).where(Merchant.subject_id == subject.id)).scalar_one_or_none()
            if merchant is None:
                merchant = Merchant(subject_id=subject.id, market_id=market.id, stall_no=f"{slug[0].upper()}{i:03d}",
                                    stall_name=mname, business_scope=scope)
                db.session.add(merchant)
                db.session.flush()
                _seed_inspections(merchant, grade, slug, i)
            _seed_records(subject, D.MERCHANT_RECORDS[grade], f"{slug[:2].upper()}{i:03d}")
            merchants.append({"handle": subject.handle, "name": mname, "market": slug, "grade": subject.grade,
                              "stall_no": merchant.stall_no,
                              "page_path": page_path(subject.handle, merchant.code_serial)})
    return merchants


def _seed_inspections(merchant: Merchant, grade: str, slug: str, i: int) -> None:
    """Two inspections (a failure for C and D merchants), each filed as the credit record the model scores."""
    product = "鲜活对虾" if slug == "magong" else "预包装食品"
    results = [("pass", None)] + ([("fail", "镉(以Cd计)超标")] if grade in "CD" else [("pass", None)])
    for n, (result, failed) in enumerate(results):
        inspection = Inspection(merchant_id=merchant.id, product=product,
                                sampled_on=china_today() - dt.timedelta(days=80 - 30 * n), agency=D.INSPECTION_AGENCY,
                                result=result, failed_items=failed, report_no=f"SWJ2026-{slug[:2].upper()}{i:03d}-{n}")
        db.session.add(inspection)
        db.session.flush()
        file_inspection(merchant, inspection)


def _listed(person) -> bool:
    return db.session.execute(select(ListEntry.id).where(ListEntry.subject_id == person.id)).first() is not None


def seed_residents() -> list[dict]:
    residents = []
    for i, (name, grade) in enumerate(D.RESIDENTS):
        person = get_or_create_person(demo_resident_id(i), name)
        db.session.flush()
        if name == D.BLACKLISTED_RESIDENT and not _listed(person):
            db.session.add(ListEntry(subject_id=person.id, list_type="black", reason="拒不履行生效判决",
                                     legal_basis="《最高人民法院关于公布失信被执行人名单信息的若干规定》",
                                     decision_document=f"(2026)粤1502执{i:03d}号", department="汕尾市城区人民法院",
                                     starts_on=dt.date(2026, 5, 1)))
        _seed_records(person, D.RESIDENT_RECORDS[grade], f"R{i:03d}")
        residents.append({"handle": person.handle, "masked_name": person.display_name, "grade": person.grade,
                          "blacklisted": name == D.BLACKLISTED_RESIDENT})
    return residents


def seed_operators() -> dict:
    listed, by_role = [], {}
    for name, role, scope in D.OPERATORS:
        token = new_credential("op")
        op = db.session.execute(select(Operator).where(
            Operator.name == name, Operator.role == role, Operator.revoked_at.is_(None)).order_by(Operator.id)
        ).scalars().first()
        if op is None:
            op = Operator(name=name, role=role, token_hash=credential_hash(token),
                          **resolve_scope(role, scope.get("department"), scope.get("market_slug"),
                                          scope.get("partner_name")))
            db.session.add(op)
        else:
            op.token_hash = credential_hash(token)  # the previous run's token stops working
        db.session.flush()
        by_role.setdefault(role, token)
        listed.append({"id": op.id, "name": name, "role": role, "scope": scope, "token": token})
    return {"operator_tokens": by_role, "operators": listed}


def seed_bank(operators: dict) -> None:
    """The demo bank and its operator (a fresh token each run), added to the operators' list and tokens."""
    name, code, licence = D.BANK
    bank = db.session.execute(select(Bank).where(Bank.uscc == code)).scalar_one_or_none()
    if bank is None:
        bank = Bank(name=name, uscc=code, licence_no=licence)
        db.session.add(bank)
        db.session.flush()
    token = new_credential("op")
    op = db.session.execute(select(Operator).where(Operator.bank_id == bank.id, Operator.name == D.BANK_OPERATOR,
                                                   Operator.revoked_at.is_(None))).scalars().first()
    if op is None:
        op = Operator(name=D.BANK_OPERATOR, role="bank", bank_id=bank.id, token_hash=credential_hash(token))
        db.session.add(op)
    else:
        op.token_hash = credential_hash(token)
    db.session.flush()
    operators["operator_tokens"].setdefault("bank", token)
    operators["operators"].append({"id": op.id, "name": D.BANK_OPERATOR, "role": "bank",
                                   "scope": {"bank_id": bank.id}, "token": token})


@use_case
def seed_demo() -> dict:
    """Create (or find) all demo data in one transaction, with fresh random credentials for the demo
    operators and devices; returns what a newcomer needs to try it (the tokens are shown this once).
    Raises Forbidden (demo_in_production) with APP_ENV=production."""
    refuse_in_production()
    devices = seed_scenarios_and_partners()
    merchants = seed_markets()
    residents = seed_residents()
    operators = seed_operators()
    seed_bank(operators)
    sync_catalogue(actor=ACTOR)
    ensure_signing_key(actor=ACTOR)
    audit.record(ACTOR, "demo.credentials.issue", "demo", "-", details={
        "operators": [op["id"] for op in operators["operators"]], "devices": [d["id"] for d in devices.values()]})
    on_commit(forget_cached)  # this worker must not keep accepting the replaced device tokens
    return {**operators, "devices": list(devices.values()), "residents": residents, "merchants": merchants}
