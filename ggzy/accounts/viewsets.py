from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import GgzyUserCreationForm, GgzyUserEditForm


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return GgzyUserEditForm if for_update else GgzyUserCreationForm
