"""Shared pytest set-up: the ``slow`` marker on an explicit list of slow tests.

``pytest -m "not slow"`` is the inner loop (under a minute on a 2-core machine); plain
``pytest`` (the README's and CI's command) runs everything.  A test is listed here, not
decorated in its module, when it took more than about 0.4 s in a run of the whole suite
with ``--durations=0`` on a 2-core machine loaded about threefold (some 0.15 s alone), so
the inner loop stays near a minute even on a busy machine: LibreOffice and PDF renders,
benchmark smokes, ``csq`` subprocesses over the hostile corpus, Hypothesis properties and
whole-workbook round trips.  Re-measure with
``pytest -p no:cacheprovider --durations=0`` and edit :data:`SLOW` by hand;
``tests/test_slow_list.py`` fails on a name that no longer exists.
"""

from __future__ import annotations

import pytest

ALL = "*"
"""Every test of the module is slow."""

SLOW: dict[str, str | tuple[str, ...]] = {
    "test_loop_from_findings.py": (
        "test_grown_table_recalculates_in_libreoffice",
        "test_drafts_once_then_nothing_and_only_the_actions_table_changes",
        "test_a_workbook_resaved_by_libreoffice",
    ),
    "test_addin_binding.py": (
        "test_password_protected_sheet_is_named_in_the_message",
        "test_portable_workbook_has_nothing_to_bind",
        "test_refresh_scores_reenters_then_recalculates",
    ),
    "test_addin_lite.py": ("test_build_writes_main_py_and_requirements",),
    "test_addin_ovba_cfb.py": ("test_compressed_text_round_trips_through_oletools",),
    "test_addin_ribbon.py": (
        "test_chinese_workbook_gets_chinese_conclusions_sheet",
        "test_generate_report_writes_beside_the_workbook_and_opens_it",
        "test_new_workbook_is_created_beside_and_opened",
        "test_report_is_the_same_as_csq_report",
        "test_validate_lists_findings_and_selects_the_first_bad_cell",
        "test_validate_twice_replaces_the_conclusions_sheet",
    ),
    "test_addin_xlam.py": ("test_build_script_and_cli_write_the_same_add_in",),
    "test_batch_cli.py": (
        "test_corrupt_and_valid_batch_exits_1_and_still_reports_the_valid_one",
        "test_folder_skips_reports_and_lock_files_and_globs_work",
        "test_report_of_a_real_workbook_matches_hand_arithmetic",
    ),
    "test_benchmarks_smoke.py": (
        "test_core_benchmark_prints_figures_and_wrapper_agrees_with_core",
        "test_formats_benchmark_prints_the_cost_of_docx_and_pptx",
        "test_import_benchmark_prints_floor_and_ratio",
        "test_scope_benchmark_prints_the_rollup_ratio_and_the_by_cost",
        "test_startup_benchmark_prints_both_commands",
        "test_template_benchmark_prints_both_modes",
        "test_tiny_report_imports_only_what_a_report_needs",
    ),
    "test_convert.py": (
        "test_bad_cells_are_copied_as_they_were",
        "test_convert_back_to_udf_keeps_rows_and_config",
        "test_libreoffice_recalculates_the_converted_demo_to_the_udf_cached_values",
        "test_what_libreoffice_shows",
    ),
    "test_core_properties.py": (
        "test_adding_an_na_indicator_changes_nothing",
        "test_column_call_equals_row_by_row",
        "test_raising_one_rating_never_lowers_the_score",
        "test_scaling_all_weights_changes_nothing",
        "test_score_within_0_100_or_none",
    ),
    "test_core_vectorised.py": ALL,
    "test_demo_data.py": (
        "test_csq_demo_writes_workbooks_and_reports",
        "test_same_seed_same_data_other_seed_other_data",
    ),
    "test_evaluation_wording.py": ("test_the_form_is_the_seed_table_text_for_text",),
    "test_fastrows.py": ALL,
    "test_feedback.py": (
        "test_core_view_counts_what_it_hid",
        "test_no_other_agent_and_no_customer_id_in_any_part",
        "test_ribbon_button_writes_the_same_files",
        "test_usage_errors_and_rejected_inputs",
    ),
    "test_hostile_corpus.py": (
        "test_a_batch_of_workbooks_with_their_own_as_of_dates_says_so",
        "test_a_worker_base_exception_is_a_rejection_with_the_others_still_reported",
        "test_action_without_planned_date_is_a_finding_and_shows_no_planned_date",
        "test_an_output_that_is_an_input_of_the_same_run_is_never_written",
        "test_closed_pipe_ends_quietly_and_the_demo_is_complete",
        "test_config_cells_not_understood_are_findings_in_words",
        "test_every_command_over_every_case",
        "test_feedback_convert_and_the_ribbon_over_every_case",
        "test_import_messages",
        "test_no_critical_error_tokens_do_not_fail_contacts",
        "test_one_as_of_rule_recorded_in_the_method_sheet",
        "test_panic_cell_is_a_finding_with_its_cell_in_both_job_modes",
        "test_portable_formula_agrees_with_the_core_in_libreoffice",
        "test_real_xls_with_unrecognised_headers_is_rejected",
        "test_report_and_summary_are_written_both_or_neither",
        "test_report_language_follows_the_workbook_unless_lang_is_given",
        "test_ribbon_validate_keeps_the_vba_project",
        "test_rubric_na_stays_on_its_own_row_when_blank_rows_are_dropped",
        "test_running_twice_over_a_glob_never_reads_or_overwrites_reports",
        "test_top_level_guard_one_line_and_debug_traceback",
        "test_validate_json_on_a_report",
    ),
    "test_export_messy.py": ("test_a_big_messy_export_reads_alike_whatever_its_line_ends",),
    "test_import_export.py": ("test_example_export_becomes_a_clean_standard_workbook",),
    "test_portable_functions.py": ALL,
    "test_problem_categories.py": (
        "test_a_category_in_neither_list_is_a_warning_on_its_cell",
        "test_a_type_added_on_config_is_known",
        "test_no_warning_without_anything_to_compare",
    ),
    "test_reader_bench.py": ALL,
    "test_reader_config.py": (
        "test_as_of_is_read_only_when_fixed",
        "test_edited_weight_is_used_and_a_bad_weight_is_a_finding",
    ),
    "test_reader_engines.py": (
        "test_csq_report_reads_a_large_sheet_by_columns_with_pandas_on_its_own_text",
    ),
    "test_reader_resaved.py": ALL,
    "test_reader_safety.py": ("test_zip_bomb_by_ratio",),
    "test_report_bench_smoke.py": ALL,
    "test_report_edge.py": (
        "test_empty_monitoring_gives_a_complete_report_with_no_data",
        "test_only_required_columns",
    ),
    "test_report_findings.py": ("test_targets_table_edited_in_a_real_workbook",),
    "test_report_numbers.py": (
        "test_case_text_that_looks_like_a_formula_stays_text",
        "test_summary_json_headline_matches_hand_arithmetic",
    ),
    "test_report_pdf.py": (
        "test_charts_are_drawn_in_the_pdf",
        "test_chinese_report_pdf_has_cjk_text_and_figures",
    ),
    "test_report_periods.py": (
        "test_bad_config_period_is_a_finding_and_ignored",
        "test_cli_period",
        "test_config_sheet_period_is_used_without_period",
    ),
    "test_scope.py": ("test_rollup_of_three_workbooks_equals_one_workbook_of_all_rows",),
    "test_report_qa_cycle.py": (
        "test_an_older_workbook_without_a_calibration_sheet_has_no_finding",
        "test_calibration_sheet_is_written_and_read_back",
        "test_keyword_frequencies_use_the_workbooks_own_keyword_table",
        "test_portable_calibration_scores_recalculated_by_libreoffice",
        "test_report_sheets_show_calibration_leniency_and_keywords",
        "test_reviewer_leniency_in_daily_work",
        "test_summary_calibration_object_by_hand",
    ),
    "test_report_sampling.py": (
        "test_bad_population_is_a_finding_with_its_cell",
        "test_blank_population_is_not_recorded",
        "test_population_gives_the_sampling_ratio",
    ),
    "test_report_summary_agree.py": ALL,
    "test_sample_bench_smoke.py": ALL,
    "test_sample_cli.py": (
        "test_a_quarter_report_sums_the_recorded_months",
        "test_each_agent_and_channel_gets_its_quota_and_rubric_cells_are_blank",
        "test_period_limits_the_draw",
        "test_report_of_a_sampled_workbook_shows_the_population_beside_the_sample",
        "test_same_export_and_seed_give_the_same_monitoring_rows_byte_for_byte",
        "test_tag_fills_blank_categories_from_complaint_keywords",
        "test_without_a_seed_a_fresh_one_is_recorded_and_reproduces_the_draw",
        "test_xlsx_export_and_a_map_with_only_the_required_fields",
    ),
    "test_progress.py": ALL,  # csq in fresh processes on a pseudo-terminal and in a pipe
    "test_population_periods.py": ALL,  # csq sample and report over an export, three times
    "test_seed_templates.py": (
        "test_a_channel_added_on_config_is_accepted",
        "test_reviewer_verdict_is_the_qc_result_used_and_a_disagreement_is_a_warning",
        "test_summary_json_uses_the_verdicts",
        "test_times_typed_in_hours_and_minutes",
    ),
    "test_templates_engines.py": ALL,
    "test_templates_sortable.py": (
        "test_computed_values_follow_a_sort_in_libreoffice",
        "test_no_locked_cell_inside_a_table_on_a_protected_sheet",
        "test_problems_and_actions_columns_in_the_same_order_in_both_modes",
    ),
    "test_selftest_workbook.py": (
        "test_cli_writes_it_and_refuses_to_overwrite",
        "test_every_row_passes_in_the_formulas_engine",
    ),
    "test_templates_workbook.py": (
        "test_config_sheet_edits_are_read_and_bad_cells_reported",
        "test_config_sheet_reads_back_as_the_default_configuration",
        "test_csq_new_rows_gives_that_many_monitoring_rows",
        "test_csq_new_writes_a_workbook_and_refuses_to_overwrite",
        "test_customer_text_that_looks_like_a_formula_stays_text",
        "test_dropdowns_are_in_the_sheet_language",
        "test_filled_workbook_prints_to_pdf_with_its_text",
        "test_headers_are_the_declared_headers_and_tables_cover_the_inputs",
    ),
    "test_typical_cases.py": ("test_case_rules_hold_in_the_team_report_and_every_feedback_file",),
    "test_unit_headers.py": ("test_an_english_minutes_header_with_a_seconds_setting",),
    "test_xml_injection.py": ("test_report_and_feedback_keep_crafted_text_as_text",),
}
"""Test module -> the names of its slow test functions (every parameter set), or ALL."""

SLOW_FIXTURES: dict[str, tuple[str, ...]] = {
    "test_convert.py": ("demo",),  # the demo converted and recalculated by LibreOffice
    "test_report_pdf.py": ("pdfs",),  # two reports rendered to PDF by LibreOffice
    "test_report_documents.py": ("written",),  # the demo reported as xlsx, docx and pptx
    "test_addin_lite.py": ("lite_run",),  # the Lite build run in a subprocess
    "test_narrative_loop_process.py": ("demo_report",),  # the demo as docx and pptx
}
"""Test module -> module-scoped fixtures that take seconds: every test using one is slow
(else the first fast test using it would pay for it)."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``slow`` the tests listed in :data:`SLOW` and those using a fixture of
    :data:`SLOW_FIXTURES`."""
    for item in items:
        module = item.path.name
        names = SLOW.get(module, ())
        function = getattr(item, "originalname", item.name)
        fixtures = getattr(item, "fixturenames", ())
        if (
            names == ALL
            or function in names
            or any(f in fixtures for f in SLOW_FIXTURES.get(module, ()))
        ):
            item.add_marker(pytest.mark.slow)
