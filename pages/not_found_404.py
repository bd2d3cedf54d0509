"""The not-found page: what Dash Pages shows at an address no page has (it looks for a module of this name), inside the
app's shell and in the UI language, instead of Dash's unstyled English "404 - Page not found".

The first HTML request of such an address answers HTTP 404 rather than 200: pages/_urlargs.register_status.
"""

from __future__ import annotations

import dash

from auth import current_lang
from components.i18n import t
from components.url_status import not_found_page
from pages._common import page_layout
from pages._urlargs import PageArgs, UrlArgs

URL_ARGS = UrlArgs()  # an unknown address: whatever its query says is ignored

dash.register_page(__name__, title="页面不存在 · Page not found", roles=(), hide_from_nav=True, url_args=URL_ARGS)


@page_layout(URL_ARGS)
def layout(args: PageArgs) -> object:
    lang = current_lang()
    return not_found_page(t("notfound.body", lang), lang)
