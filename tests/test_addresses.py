"""Every address answers in Chinese: cockpit.addresses on the real dashboard.py's pages."""

from cockpit.web import addresses


def test_the_pages_are_read_from_the_entry_script():
    pages = addresses.cockpit_pages()
    assert pages[0] == addresses.PageAddress("progress", "整改进度", True)
    assert addresses.PageAddress("rankings", "单位排名", False) in pages
    assert sum(p.is_default for p in pages) == 1


def test_the_default_page_by_its_name_leads_to_the_root_with_its_query():
    assert addresses.redirect_for("/progress", "") == "/"
    assert addresses.redirect_for("/progress/", "screen=big&as_of=2026-06-10") == "/?screen=big&as_of=2026-06-10"


def test_other_pages_and_streamlit_paths_pass():
    for path in ("/", "/rankings", "/hotspots", "/_stcore/health", "/static/js/index.js", "/favicon.png",
                 "/app/static/vendor/leaflet/leaflet.js", "/_cockpit/login", "/component/x/index.html"):
        assert addresses.redirect_for(path, "") is None, path


def test_titles_and_letter_case_lead_to_the_page():
    assert addresses.redirect_for("/%E5%8D%95%E4%BD%8D%E6%8E%92%E5%90%8D", "who=x") == "/rankings?who=x"  # /单位排名
    assert addresses.redirect_for("/整改进度", "") == "/"
    assert addresses.redirect_for("/Rankings", "") == "/rankings"


def test_a_mistyped_name_leads_to_the_first_page_with_a_notice():
    assert addresses.redirect_for("/progres", "") == "/?missing=progres"
    assert addresses.redirect_for("/排名", "as_of=2026-06-10") == "/?as_of=2026-06-10&missing=%E6%8E%92%E5%90%8D"
    assert addresses.missing_notice("progres", "整改进度") == "没有“progres”这个页面，已打开“整改进度”。其他页面见左侧的页面列表。"


def test_under_a_base_path():
    assert addresses.redirect_for("/cockpit/progress", "", base="cockpit") == "/cockpit/"
    assert addresses.redirect_for("/cockpit/nosuch", "", base="/cockpit/") == "/cockpit/?missing=nosuch"
    assert addresses.redirect_for("/cockpit/rankings", "", base="cockpit") is None
    assert addresses.redirect_for("/cockpit", "", base="cockpit") is None
    assert addresses.redirect_for("/other/progress", "", base="cockpit") is None
