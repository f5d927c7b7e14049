"""The public search page (anonymous, GET only; bounded input, never a 500 on bad input)."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .choices import Order
from .forms import SearchForm
from .selectors import SearchInputError, search_site


@require_GET
def search(request):
    form = SearchForm(request.GET)
    results, errors = None, []
    if form.has_criteria:
        if form.is_valid():
            data = form.cleaned_data
            try:
                results = search_site(
                    query=data["q"],
                    column_id=data["column"],
                    kind=data["kind"],
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                    page=data["page"] or 1,
                    per_page=settings.GGZY_PAGE_SIZE,
                    order=data["order"] or Order.RELEVANCE,
                )
            except SearchInputError as exc:
                errors.append(str(exc))
        else:
            errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    params = request.GET.copy()
    params.pop("page", None)
    status = 400 if errors else 200
    context = {"form": form, "results": results, "errors": errors, "base_query": params.urlencode()}
    return render(request, "search/search.html", context, status=status)
