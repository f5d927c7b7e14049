"""SUSPENSION_NOTICE_WORKING_DAYS: a bad value stops start-up, naming the variable."""

from config.tests.test_settings import manage


def test_a_negative_or_non_integer_lead_is_refused(tmp_path):
    result = manage("check", tmp_path=tmp_path, GGZY_ENV="local", SUSPENSION_NOTICE_WORKING_DAYS="-1")
    assert result.returncode != 0 and "SUSPENSION_NOTICE_WORKING_DAYS must be >= 0" in result.stderr
    result = manage("check", tmp_path=tmp_path, GGZY_ENV="local", SUSPENSION_NOTICE_WORKING_DAYS="three")
    assert result.returncode != 0 and "SUSPENSION_NOTICE_WORKING_DAYS" in result.stderr
    assert (
        manage("check", tmp_path=tmp_path, GGZY_ENV="local", SUSPENSION_NOTICE_WORKING_DAYS="5").returncode
        == 0
    )
