"""Document ingestion: what comes into the site as a file.

Split from ``screening`` (issue 13 §4) so that ``screening`` is the content
rules and nothing else. Decided file by file, by what each does:

Here (ingestion: taking a file in, turning it into site content, archiving it)
    uploads.py       the gate every upload passes: type by content, size, zip
                     bombs, screening (validate_upload); EXIF stripping
    upload_forms.py  Wagtail's document and image upload forms behind the gate
    media.py         images of a page checked for metadata when it is published
    convert.py       .docx → rich text, .xlsx sheet → accessible HTML table
    services.py      article_fill_from_docx, spreadsheet_upload, spreadsheet_table_create
    models.py        SpreadsheetUpload, SpreadsheetTable (moved with their data)
    rich_text.py     the ``xlsx-table`` editor feature and its embed handler
                     (the embed type name ``xlsxtable`` is unchanged)
    table_views.py   the 插入 Excel 表格 modal; views.py  从 Word 导入
    selectors.py     spreadsheet_sources (the workbooks behind a page's tables)
    static/ingest, templates/ingest, wagtail_hooks.py

Stays in ``screening`` (the rules, and applying them)
    rules.py, the lexicon (models, viewset, services, invalidation), findings
    and acknowledgements, and extract.py: reading the text out of a document
    is part of screening a document (screen_document); ingestion imports it
    (``sniff``, ``Limits``) from there, which the layer order allows.

``ingest`` sits above ``screening``: it imports screening, never the reverse.
Screening sees the text of embedded tables through its registration point
``screening.embeds.EMBED_TEXT_HOOK``, which ingest's wagtail_hooks fills.
Audit action names recorded before the split (``screening.spreadsheet.*``,
``screening.image.metadata_stripped``) are kept: the chain holds events under them.
"""
