/* The xlsx-table rich text feature: a toolbar button that opens the
 * 插入 Excel 表格 modal workflow and inserts the chosen table as an atomic
 * block (entity XLSX_TABLE), like Wagtail's image and media embeds. */
(function () {
  'use strict';

  const React = window.React;
  const { AtomicBlockUtils } = window.DraftJS;
  const h = React.createElement;

  function submitByAjax(modal) {
    $('form.xlsx-table-form', modal.body).on('submit', function () {
      $.ajax({
        url: this.action,
        data: new FormData(this),
        processData: false,
        contentType: false,
        type: 'POST',
        dataType: 'text',
        success: modal.loadResponseText,
      });
      return false;
    });
  }

  window.XLSX_TABLE_MODAL_ONLOAD_HANDLERS = {
    upload: submitByAjax,
    sheet: submitByAjax,
    chosen(modal, json) {
      modal.respond('xlsxTableChosen', json.table);
      modal.close();
    },
  };

  class XlsxTableSource extends window.draftail.ModalWorkflowSource {
    getChooserConfig(entity) {
      const base = this.props.entityType.chooserUrls.xlsxTableChooser;
      const url = entity ? `${base}tables/${entity.getData().id}/` : base;
      return {
        url,
        urlParams: {},
        onload: window.XLSX_TABLE_MODAL_ONLOAD_HANDLERS,
        responses: { xlsxTableChosen: this.onChosen },
      };
    }

    filterEntityData(data) {
      return {
        id: data.id,
        caption: data.caption,
        sheet: data.sheet,
        filename: data.filename,
        rows: data.rows,
      };
    }

    // Like ModalWorkflowSource.onChosen for blocks, with the mutability
    // Wagtail only knows for its own entity types.
    onChosen(data) {
      const { editorState, entity, entityKey, entityType, onComplete } = this.props;
      const content = editorState.getCurrentContent();
      const entityData = this.filterEntityData(data);
      let next;
      if (entity && entityKey) {
        const block = content.getBlockForKey(editorState.getSelection().getAnchorKey());
        next = window.draftail.DraftUtils.updateBlockEntity(editorState, block, entityData);
      } else {
        const withEntity = content.createEntity(entityType.type, 'IMMUTABLE', entityData);
        next = AtomicBlockUtils.insertAtomicBlock(editorState, withEntity.getLastCreatedEntityKey(), ' ');
      }
      this.workflow.close();
      onComplete(next);
    }
  }

  function XlsxTableBlock(props) {
    const { entity, onEditEntity, onRemoveEntity } = props.blockProps;
    const data = entity.getData();
    const details = [data.filename, data.sheet, data.rows ? `${data.rows} 行` : ''].filter(Boolean).join(' · ');
    return h(
      'div',
      { className: 'xlsx-table-block', contentEditable: false, 'data-xlsx-table': data.id },
      h('p', { className: 'xlsx-table-block__caption' }, `表格：${data.caption || ''}`),
      h('p', { className: 'xlsx-table-block__details' }, details),
      h('button', { className: 'button button-small', type: 'button', onClick: onEditEntity }, '修改'),
      ' ',
      h('button', { className: 'button button-small button-secondary no', type: 'button', onClick: onRemoveEntity }, '删除'),
    );
  }

  window.draftail.registerPlugin(
    { type: 'XLSX_TABLE', source: XlsxTableSource, block: XlsxTableBlock },
    'entityTypes',
  );
})();
