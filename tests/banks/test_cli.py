"""flask register-bank and create-bank-operator: the credit office's commands."""

from __future__ import annotations

from tests.banks.helpers import bank_uscc
from tests.factories import bearer


def test_register_a_bank_and_its_operator_from_the_command_line(runner, client):
    result = runner.invoke(args=["register-bank", "--name", "汕尾农商银行", "--uscc", bank_uscc(4242),
                                 "--licence", "B0001H244150099"])
    assert result.exit_code == 0, result.output
    bank_id = int(result.output.split()[1])
    again = runner.invoke(args=["register-bank", "--name", "重复", "--uscc", bank_uscc(4242), "--licence", "X-0001"])
    assert again.exit_code == 1 and "已经登记" in again.output
    result = runner.invoke(args=["create-bank-operator", str(bank_id), "--name", "信贷部"])
    assert result.exit_code == 0, result.output
    token = result.output.splitlines()[-1]
    me = client.get("/api/bank/v1/me", headers=bearer(token))
    assert me.status_code == 200 and me.get_json()["bank"]["id"] == bank_id
    assert runner.invoke(args=["create-bank-operator", "999", "--name", "x"]).exit_code == 1
    plain = runner.invoke(args=["create-operator", "--name", "x", "--role", "bank"])
    assert plain.exit_code == 1 and "银行名下" in plain.output
