"""The accusation category list is edited in 代码表 and is what the accusation service offers."""
from models.services import accusations as accusation_service
from models.reference import codes


def test_accusation_categories_are_editable_in_code_lists(db, admin):
    with db.session() as s:
        defaults = codes.editable(s, "accusation_categories")
        assert defaults == accusation_service.categories(s) and len(defaults) >= 3
        codes.save_editable(s, admin, "accusation_categories", defaults + ["  违规借用管理服务对象财物 ", defaults[0]])
    with db.session() as s:
        cats = accusation_service.categories(s)
        assert cats[-1] == "违规借用管理服务对象财物" and cats.count(defaults[0]) == 1
        assert "举报渠道" in codes.EDITABLE.values()
